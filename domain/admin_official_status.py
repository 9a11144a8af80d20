"""An official's account over time (SPEC A3–A5): deactivate and reactivate, lift a lockout, and a new
password by SMS (which also activates a pending account). Same rules as domain/administration.py: the
administrator's office only, one audit event per change, one commit."""
from __future__ import annotations

from sqlmodel import Session

from domain import audit
from domain.access import CurrentUser
from domain.accounts import clear_failures, end_sessions
from domain.admin_scope import AdminError, admin_office, scoped_account
from domain.models import Account
from domain.passwords import generate_password
from domain.security import hash_password
from domain.sms import SECRET, forget_temporary_passwords, queue_sms

SMS_PURPOSE = "official_password"


def set_status(session: Session, user: CurrentUser, account_id: int, status: str) -> None:
    """Deactivate ("disabled") or reactivate ("active") an official."""
    actor = audit.actor_of(user)
    office = admin_office(session, user)
    account = scoped_account(session, office, account_id)
    if status not in ("active", "disabled"):
        raise AdminError("Trạng thái không hợp lệ.")
    if status == "disabled" and account.id == user.account_id:
        raise AdminError("Bạn không thể tự vô hiệu hóa tài khoản của chính mình.")
    if status == "active" and not account.password_hash:
        raise AdminError("Tài khoản chưa có mật khẩu: hãy dùng «Kích hoạt và gửi mật khẩu qua SMS».")
    if account.status == status:
        return
    account.status = status
    if status == "disabled":
        end_sessions(session, account.id)
    action = "deactivate_official" if status == "disabled" else "reactivate_official"
    verb = "Vô hiệu hóa" if status == "disabled" else "Kích hoạt lại"
    audit.record(session, actor, action, target_type="account", target_id=account.id, office_id=office.id,
                 summary=f"{verb} tài khoản {account.username}")
    session.flush()


def unlock(session: Session, user: CurrentUser, account_id: int) -> None:
    """Lift a lockout after too many wrong passwords."""
    actor = audit.actor_of(user)
    office = admin_office(session, user)
    account = scoped_account(session, office, account_id)
    account.locked_until = None
    account.failed_logins = 0
    clear_failures(session, account.id)
    audit.record(session, actor, "unlock_official", target_type="account", target_id=account.id,
                 office_id=office.id, summary=f"Mở khóa tài khoản {account.username}")
    session.flush()


def reset_password(session: Session, user: CurrentUser, account_id: int) -> None:
    """A new generated password by SMS, to be changed at first sign-in; activates a pending account."""
    actor = audit.actor_of(user)
    office = admin_office(session, user)
    account = scoped_account(session, office, account_id)
    if account.status == "disabled":
        raise AdminError("Tài khoản đã bị vô hiệu hóa: hãy kích hoạt lại trước khi cấp mật khẩu mới.")
    if not account.phone:
        raise AdminError("Tài khoản chưa có số điện thoại để nhận mật khẩu qua SMS.")
    activating = account.status == "pending"
    account.status = "active"
    account.locked_until = None
    account.failed_logins = 0
    issue_password(session, account, office.id)
    end_sessions(session, account.id)  # whoever used the old password is signed out
    audit.record(
        session,
        actor,
        "activate_official" if activating else "reset_password",
        target_type="account",
        target_id=account.id,
        office_id=office.id,
        summary=("Kích hoạt tài khoản " if activating else "Cấp lại mật khẩu cho ")
        + f"{account.username}; mật khẩu gửi qua SMS",
    )
    session.flush()


def issue_password(session: Session, account: Account, office_id: int) -> None:
    """Set a generated password and queue it by SMS in the same transaction; it is never logged and
    never stored in clear (domain.sms)."""
    password = generate_password()
    account.password_hash = hash_password(password)
    account.must_change_password = True
    if account.phone:
        forget_temporary_passwords(session, account.phone)  # an older password no longer works
    queue_sms(
        session,
        account.phone,
        f"Tai khoan Chung thuc dien tu: ten dang nhap {account.username}, mat khau {SECRET}. "
        "Vui long doi mat khau khi dang nhap lan dau.",
        SMS_PURPOSE,
        secret=password,
        office_id=office_id,
    )
