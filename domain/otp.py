"""One-time codes sent by SMS (SPEC A11, A12, A13): the rules, with `now` passed in for testing.

- 6 random digits (secrets), kept only as an argon2 hash; valid 5 minutes;
- only the latest code for a phone and purpose counts (sending a new one supersedes the older);
- at most 5 wrong entries per code, then the code is void;
- a new code for the same phone only after 60 seconds; at most 5 codes per phone per hour;
- at most 30 codes an hour sent by one official from the desk (to any phones): a desk account cannot
  flood phones or the office's SMS bill.

These functions change rows in the calling use case's unit of work. When a check fails after
counting a wrong entry, the refusal is kept: the unit of work commits the count (`OtpError.keep`).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from domain.errors import DomainError
from domain.models import Otp
from domain.security import hash_password, verify_password

CODE_DIGITS = 6
VALID_MINUTES = 5
MAX_WRONG = 5
RESEND_SECONDS = 60
MAX_SENDS_PER_HOUR = 5
MAX_SENDS_PER_OFFICIAL_HOUR = 30

NO_CODE = "Chưa có mã OTP còn hiệu lực cho số điện thoại này. Vui lòng bấm «Gửi mã OTP»."
EXPIRED = f"Mã OTP đã hết hạn (mã chỉ có hiệu lực {VALID_MINUTES} phút). Vui lòng gửi lại mã mới."
TOO_MANY_WRONG = f"Đã nhập sai mã OTP {MAX_WRONG} lần; mã này không còn dùng được. Vui lòng gửi mã mới."
BAD_FORMAT = f"Mã OTP gồm {CODE_DIGITS} chữ số."


class OtpError(DomainError):
    """`commit` tells the caller a counted wrong entry must be saved."""

    def __init__(self, message: str, *, commit: bool = False, wait_seconds: int = 0):
        super().__init__(message)
        self.commit = self.keep = commit  # keep: the unit of work commits the counted entry
        self.wait_seconds = wait_seconds


@dataclass(frozen=True)
class IssuedOtp:
    otp_id: int
    code: str  # only to be put in the SMS; never logged or audited
    expires_at: datetime


def new_code() -> str:
    return f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


def check_can_send(session: Session, phone: str, now: datetime) -> None:
    """Raise OtpError when the phone is in its 60-second cooldown or has had 5 codes this hour.
    A code already used (the account created a moment ago) holds nothing back: it arrived."""
    last = session.exec(select(Otp).where(Otp.phone == phone, Otp.used_at == None)  # noqa: E711
                        .order_by(Otp.created_at.desc(), Otp.id.desc()).limit(1)).first()
    if last is not None:
        waited = (now - last.created_at).total_seconds()
        if waited < RESEND_SECONDS:
            wait = int(RESEND_SECONDS - waited + 0.999)
            raise OtpError(f"Mã OTP vừa được gửi. Vui lòng đợi {wait} giây nữa rồi mới gửi lại.",
                           wait_seconds=wait)
    hour_ago = now - timedelta(hours=1)
    sent = session.exec(select(func.count()).select_from(Otp)
                        .where(Otp.phone == phone, Otp.created_at > hour_ago)).one()
    if sent >= MAX_SENDS_PER_HOUR:
        oldest = session.exec(select(func.min(Otp.created_at)).where(Otp.phone == phone,
                                                                     Otp.created_at > hour_ago)).one()
        minutes = max(1, int((oldest + timedelta(hours=1) - now).total_seconds() // 60) + 1)
        raise OtpError(f"Số điện thoại này đã nhận {MAX_SENDS_PER_HOUR} mã OTP trong một giờ qua. "
                       f"Vui lòng thử lại sau khoảng {minutes} phút.", wait_seconds=minutes * 60)


def check_official_can_send(session: Session, official_id: int, now: datetime) -> None:
    """Raise OtpError when this official has sent MAX_SENDS_PER_OFFICIAL_HOUR codes within the hour."""
    hour_ago = now - timedelta(hours=1)
    sent = session.exec(select(func.count()).select_from(Otp)
                        .where(Otp.created_by_id == official_id, Otp.created_at > hour_ago)).one()
    if sent >= MAX_SENDS_PER_OFFICIAL_HOUR:
        oldest = session.exec(select(func.min(Otp.created_at)).where(Otp.created_by_id == official_id,
                                                                     Otp.created_at > hour_ago)).one()
        minutes = max(1, int((oldest + timedelta(hours=1) - now).total_seconds() // 60) + 1)
        raise OtpError(f"Bạn đã gửi {MAX_SENDS_PER_OFFICIAL_HOUR} mã OTP trong một giờ qua, mức tối đa "
                       f"cho một cán bộ. Vui lòng thử lại sau khoảng {minutes} phút hoặc liên hệ quản trị "
                       "hệ thống.",
                       wait_seconds=minutes * 60)


def issue(session: Session, phone: str, purpose: str, subject: str, now: datetime,
          created_by_id: int | None = None) -> IssuedOtp:
    """Check the sending limits, supersede the older codes of this phone and purpose, add a new one."""
    check_can_send(session, phone, now)
    if created_by_id is not None:
        check_official_can_send(session, created_by_id, now)
    for older in session.exec(select(Otp).where(Otp.phone == phone, Otp.purpose == purpose,
                                                Otp.superseded == False, Otp.used_at == None)):  # noqa: E711,E712
        older.superseded = True
    code = new_code()
    row = Otp(phone=phone, purpose=purpose, subject=subject, code_hash=hash_password(code), created_at=now,
              expires_at=now + timedelta(minutes=VALID_MINUTES), created_by_id=created_by_id)
    session.add(row)
    session.flush()
    return IssuedOtp(row.id, code, row.expires_at)


def latest(session: Session, phone: str, purpose: str) -> Otp | None:
    return session.exec(select(Otp).where(Otp.phone == phone, Otp.purpose == purpose)
                        .order_by(Otp.created_at.desc(), Otp.id.desc()).limit(1)).first()


def consume(session: Session, phone: str, purpose: str, subject: str, code: str, now: datetime) -> Otp:
    """Check the code against the latest one for this phone and purpose and mark it used.
    Raises OtpError; a wrong entry is counted (OtpError.commit is then True)."""
    code = (code or "").strip().replace(" ", "")
    if len(code) != CODE_DIGITS or not code.isdigit():
        raise OtpError(BAD_FORMAT)
    row = latest(session, phone, purpose)
    if row is None or row.used_at is not None or row.superseded or row.subject != subject:
        raise OtpError(NO_CODE)
    if row.attempts >= MAX_WRONG:
        raise OtpError(TOO_MANY_WRONG)
    if now >= row.expires_at:
        raise OtpError(EXPIRED)
    if not verify_password(code, row.code_hash):
        row.attempts += 1
        left = MAX_WRONG - row.attempts
        if left <= 0:
            raise OtpError(TOO_MANY_WRONG, commit=True)
        raise OtpError(f"Mã OTP không đúng (chỉ mã gửi sau cùng còn hiệu lực). Còn {left} lần thử.",
                       commit=True)
    row.used_at = now
    return row


def seconds_until_resend(session: Session, phone: str, now: datetime) -> int:
    """0 when a new code may be sent now; else the seconds of cooldown left (for the page's countdown)."""
    try:
        check_can_send(session, phone, now)
    except OtpError as exc:
        return exc.wait_seconds
    return 0
