"""Sign-in, lockout, sessions and password changes for officials and citizens."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, or_
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from domain import audit
from domain.audit import Actor
from domain.clock import utcnow
from domain.errors import DomainError, kept
from domain.models import Account, LoginFailure, UserSession
from domain.passwords import check_password_rules
from domain.phone import phone_search_key
from domain.security import hash_password, new_token, token_hash, verify_password
from domain.sms import forget_temporary_passwords

MAX_FAILURES = 5
LOCK_MINUTES = 15
ADDRESS_WINDOW_MINUTES = 15
# Lockout is per (address, account): 5 wrong passwords from one address lock that address out of that
# account for 15 minutes, so someone who only knows a phone number cannot keep its owner locked out.
# Guessing from many addresses is slowed by a delay per account instead (no captcha).
ACCOUNT_SLOW_AFTER = 10
MAX_DELAY_SECONDS = 8.0

WRONG_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."
# The same words whether or not the login exists: an unknown login locks after 5 wrong tries too.
LOCKED = ("Đăng nhập tạm khóa trên máy này do nhập sai quá 5 lần. Vui lòng thử lại sau 15 phút "
          "hoặc liên hệ quản trị hệ thống.")
DISABLED = "Tài khoản đã bị vô hiệu hóa. Vui lòng liên hệ quản trị hệ thống."
NOT_ACTIVATED = "Tài khoản chưa được kích hoạt. Vui lòng liên hệ quản trị hệ thống."


class SignInError(DomainError):
    """A refused sign-in or password change."""


@dataclass(frozen=True)
class SignedIn:
    account_id: int
    token: str
    must_change_password: bool


def find_account_for_login(session: Session, login: str) -> Account | None:
    """Officials sign in by username; citizens by ID number or phone."""
    login = login.strip()
    phone = phone_search_key(login)
    conditions = [Account.username == login, Account.id_number == login]
    if phone:
        conditions.append(Account.phone == phone)
    return session.exec(select(Account).where(or_(*conditions)).order_by(Account.id)).first()


def login_key(login: str) -> str:
    """The typed login as failures remember it (hashed: a mistyped password in the login box is not kept)."""
    text = (login or "").strip()
    return hashlib.sha256((phone_search_key(text) or text.casefold()).encode()).hexdigest()


def _tried(account: Account | None, login: str):
    """Failures against this account, or against this very login when no account has it: an unknown
    login is counted, locked and slowed like an existing one, so the answers tell nothing."""
    if account is not None:
        return LoginFailure.account_id == account.id
    return LoginFailure.login_key == login_key(login)


def _failures(session: Session, now: datetime, *conditions) -> int:
    since = now - timedelta(minutes=ADDRESS_WINDOW_MINUTES)
    return session.exec(select(func.count()).select_from(LoginFailure)
                        .where(LoginFailure.at >= since, *conditions)).one()


def address_delay_seconds(session: Session, client_addr: str, now: datetime | None = None) -> float:
    """How long to wait before answering a sign-in from an address that keeps failing."""
    failures = _failures(session, now or utcnow(), LoginFailure.client_addr == client_addr)
    return 0.0 if failures < 5 else min(MAX_DELAY_SECONDS, 0.5 * (failures - 4))


def sign_in_delay_seconds(
    session: Session, login: str, client_addr: str, now: datetime | None = None
) -> float:
    """The wait before answering: for an address that keeps failing, and for an account guessed at from
    many addresses (a delay, never a lock, so its owner still gets in)."""
    now = now or utcnow()
    delay = address_delay_seconds(session, client_addr, now)
    account = find_account_for_login(session, login or "")
    failures = _failures(session, now, _tried(account, login))
    if failures >= ACCOUNT_SLOW_AFTER:
        delay = max(delay, min(MAX_DELAY_SECONDS, 0.5 * (failures - ACCOUNT_SLOW_AFTER + 1)))
    return delay


def locked_out(session: Session, account: Account | None, client_addr: str, now: datetime,
               login: str = "") -> bool:
    """True when this address may not try this account (or this unknown login) now: an administrator's
    lock, or 5 failures from this same address within LOCK_MINUTES."""
    if account is not None and account.locked_until and _aware(account.locked_until) > now:
        return True
    since = now - timedelta(minutes=LOCK_MINUTES)
    failures = session.exec(select(func.count()).select_from(LoginFailure).where(
        _tried(account, login), LoginFailure.client_addr == client_addr,
        LoginFailure.at >= since)).one()
    return failures >= MAX_FAILURES


def clear_failures(session: Session, account_id: int) -> None:
    """Forget the wrong passwords counted against an account (an administrator unlocked it, or its owner
    proved themselves with an OTP): every address may try it again."""
    session.exec(delete(LoginFailure).where(LoginFailure.account_id == account_id))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def sign_in(session: Session, login: str, password: str, *, client_addr: str, session_hours: int = 12,
            now: datetime | None = None) -> SignedIn:
    """Check the credentials, apply the lockout, open a session."""
    now = now or utcnow()
    account = find_account_for_login(session, login)
    if locked_out(session, account, client_addr, now, login):
        verify_password(password, None)  # the same time as any other answer
        raise SignInError(LOCKED)
    # One password check either way (a dummy one for an unknown login): the time tells nothing.
    matches = verify_password(password, account.password_hash if account is not None else None)
    if account is None or not matches:
        _record_failure(session, account, login, client_addr, now)
        if locked_out(session, account, client_addr, now, login):
            raise kept(SignInError(LOCKED))  # the counted failure is kept
        raise kept(SignInError(WRONG_CREDENTIALS))
    if account.status == "disabled":
        raise SignInError(DISABLED)
    if account.status == "pending":
        raise SignInError(NOT_ACTIVATED)
    account.failed_logins = 0
    account.last_login_at = now
    if account.must_change_password and account.phone:
        forget_temporary_passwords(session, account.phone)  # the SMS copy of a used temporary password goes
    session.exec(delete(LoginFailure).where(LoginFailure.account_id == account.id,
                                            LoginFailure.client_addr == client_addr))
    token = new_token()
    session.add(
        UserSession(
            token_hash=token_hash(token),
            account_id=account.id,
            client_addr=client_addr,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=session_hours),
        )
    )
    audit.record(session, Actor(account.id, account.full_name, client_addr), "sign_in",
                 target_type="account", target_id=account.id, office_id=account.office_id)
    session.flush()
    return SignedIn(account.id, token, account.must_change_password)


def _record_failure(session: Session, account: Account | None, login: str, client_addr: str,
                    now: datetime) -> None:
    session.add(LoginFailure(client_addr=client_addr, account_id=account.id if account else None, at=now,
                             login_key=None if account else login_key(login)))
    if account is not None:
        account.failed_logins += 1
        summary = f"Sai mật khẩu lần {account.failed_logins}"
        session.flush()
        if locked_out(session, account, client_addr, now):
            summary += f"; địa chỉ {client_addr or '?'} bị chặn đăng nhập tài khoản này {LOCK_MINUTES} phút"
        audit.record(session, Actor(None, login[:64], client_addr), "sign_in_failed",
                     target_type="account", target_id=account.id, summary=summary)
    # Old failures are of no further use.
    session.exec(delete(LoginFailure).where(LoginFailure.at < now - timedelta(days=1)))
    session.flush()


SESSION_EXPIRED = "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."


IDLE_MINUTES = {"official": 30, "citizen": 30}  # app settings override (IDLE_MINUTES, CITIZEN_IDLE_MINUTES)
TOUCH_SECONDS = 60  # last_seen_at is written at most once a minute per session


def _live_row(session: Session, token: str | None, now: datetime,
              idle_minutes: dict[str, int] | None) -> tuple[UserSession | None, Account | None, str]:
    """(row, account, state) with state 'active', 'expired' (absolute or idle limit) or 'none'."""
    if not token:
        return None, None, "none"
    row = session.exec(select(UserSession).where(UserSession.token_hash == token_hash(token))).first()
    if row is None or row.ended_at is not None:
        return row, None, "none"
    account = session.get(Account, row.account_id)
    if account is None:
        return row, None, "none"
    idle = (idle_minutes or IDLE_MINUTES).get(account.kind, IDLE_MINUTES["official"])
    if row.expires_at <= now or (idle > 0 and now - row.last_seen_at > timedelta(minutes=idle)):
        return row, account, "expired"
    return row, account, "active"


def session_account(session: Session, token: str | None, now: datetime | None = None,
                    idle_minutes: dict[str, int] | None = None) -> Account | None:
    """The account behind a browser's session token, or None when missing, ended, expired (the
    absolute limit or the idle limit), or the account is no longer active. Marks the session used."""
    now = now or utcnow()
    row, account, state = _live_row(session, token, now, idle_minutes)
    if state != "active" or account is None or account.status != "active":
        return None
    if (now - row.last_seen_at).total_seconds() > TOUCH_SECONDS:
        _touch(session, row, account, now)
    return account


def _touch(session: Session, row: UserSession, account: Account, now: datetime) -> None:
    """Write last_seen_at, or skip it when SQLite refuses: this write follows a read in one transaction,
    and SQLite fails such an upgrade at once ("database is locked") when another connection holds the
    write lock or committed since the read. Waiting would stall the page load; the next one touches it."""
    try:
        with session.begin_nested():  # a savepoint: a refused touch undoes nothing else
            row.last_seen_at = now
    except OperationalError as exc:
        if "database is locked" not in str(exc):
            raise
        session.refresh(account)  # the rollback expired it; the caller may use it after the session


def session_state(session: Session, token: str | None, now: datetime | None = None,
                  idle_minutes: dict[str, int] | None = None) -> str:
    """'none' (never signed in or signed out), 'expired', or 'active' — to tell an expired session apart."""
    return _live_row(session, token, now or utcnow(), idle_minutes)[2]


def end_sessions(session: Session, account_id: int, keep_token: str | None = None) -> int:
    """End every open session of the account but the one holding keep_token (no commit)."""
    keep = token_hash(keep_token) if keep_token else None
    rows = session.exec(select(UserSession).where(UserSession.account_id == account_id,
                                                  UserSession.ended_at.is_(None))).all()
    now = utcnow()
    ended = 0
    for row in rows:
        if row.token_hash != keep:
            row.ended_at = now
            ended += 1
    return ended


def sign_out(session: Session, token: str, actor: Actor) -> None:
    row = session.exec(select(UserSession).where(UserSession.token_hash == token_hash(token))).first()
    if row is not None and row.ended_at is None:
        row.ended_at = utcnow()
        account = session.get(Account, row.account_id)
        audit.record(session, actor, "sign_out", target_type="account", target_id=row.account_id,
                     office_id=account.office_id if account else None)
        session.flush()


def change_password(session: Session, account_id: int, old_password: str | None, new_password: str,
                    actor: Actor, keep_token: str | None = None) -> None:
    """Set a new password after checking the rules; old_password None skips the old check
    (used after an OTP has proved the person). Every other session of the account ends (all of them
    after a reset: keep_token None). Raises SignInError with a Vietnamese message."""
    account = session.get(Account, account_id)
    if account is None:
        raise SignInError(WRONG_CREDENTIALS)
    if old_password is not None and not verify_password(old_password, account.password_hash):
        raise SignInError("Mật khẩu hiện tại không đúng.")
    problems = check_password_rules(new_password, username=account.username, id_number=account.id_number)
    if old_password is not None and new_password == old_password:
        problems.append("Mật khẩu mới phải khác mật khẩu hiện tại.")
    if problems:
        raise SignInError(" ".join(problems))
    account.password_hash = hash_password(new_password)
    account.must_change_password = False
    ended = end_sessions(session, account.id, keep_token)
    audit.record(
        session,
        actor,
        "change_password",
        target_type="account",
        target_id=account.id,
        office_id=account.office_id,
        summary=f"Kết thúc {ended} phiên đăng nhập khác" if ended else "",
    )
    session.flush()
