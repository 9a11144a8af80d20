"""Intake helpers (SPEC C10): the requester signs in on the official's tablet to fill their data.

The official's own session is untouched: the citizen's credentials only identify the account
whose data fills the form. Failures count toward the account's lockout like a normal sign-in.
"""
from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from domain import accounts, audit
from domain.access import CurrentUser
from domain.clock import utcnow
from domain.dossiers import RequesterData, WorkflowError, requester_from_account
from domain.errors import kept
from domain.rights import Right
from domain.security import verify_password


def citizen_on_tablet(session: Session, user: CurrentUser, login: str, password: str, addr: str = "",
                      now: datetime | None = None) -> tuple[int, RequesterData]:
    """(citizen account id, requester data) when the citizen's own credentials are right."""
    user.require(Right.CREATE_COPY)
    now = now or utcnow()
    login = (login or "").strip()
    if not login or not password:
        raise WorkflowError("Vui lòng nhập số định danh (hoặc số điện thoại) và mật khẩu.")
    account = accounts.find_account_for_login(session, login)
    if account is not None and account.kind != "citizen":
        account = None  # an official's credentials never fill a requester
    if accounts.locked_out(session, account, addr, now, login):
        verify_password(password, None)  # the same time as any other answer
        raise WorkflowError(accounts.LOCKED)
    # one password check either way (a dummy one for an unknown login): the time tells nothing
    matches = verify_password(password, account.password_hash if account is not None else None)
    if account is None or not matches:
        accounts._record_failure(session, account, login, addr, now)  # noqa: SLF001 — same lockout rule
        raise kept(WorkflowError(accounts.WRONG_CREDENTIALS))  # the counted failure is kept
    if account.status != "active":
        raise WorkflowError(accounts.DISABLED if account.status == "disabled" else accounts.NOT_ACTIVATED)
    account.failed_logins = 0
    audit.record(session, audit.actor_of(user, addr), "tablet_sign_in",
                 target_type="account", target_id=account.id, office_id=user.office_id,
                 summary=f"Công dân {account.full_name} đăng nhập trên máy tính bảng để tiếp nhận hồ sơ")
    session.flush()
    return account.id, requester_from_account(session, account.id)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
