"""Forgot password (SPEC A13) for citizens: ID number + phone -> OTP by SMS -> a new password.

The answer never tells whether an account exists: a code is sent only when the ID number and the
phone belong to the same citizen account, the page says the same thing either way, and both ways do
the same work (one argon2 hash to request, one argon2 check to reset), so they take the same time.
"""
from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session, select

from domain import audit, otp
from domain.accounts import SignInError, change_password, clear_failures
from domain.audit import Actor
from domain.errors import DomainError
from domain.models import Account
from domain.offices import office_id_of_unit
from domain.passwords import check_password_rules
from domain.phone import phone_search_key
from domain.security import hash_password, verify_password
from domain.sms import SECRET, mask_phone, queue_sms

OTP_PURPOSE = "reset_password"
SENT_IF_MATCHING = ("Nếu thông tin đúng, mã OTP đã được gửi tới số điện thoại của tài khoản. "
                    f"Mã có hiệu lực {otp.VALID_MINUTES} phút.")
WRONG_CODE_OR_DATA = (
    "Mã OTP không đúng hoặc đã hết hạn, hoặc thông tin tài khoản không khớp. Mỗi mã chỉ được "
    f"nhập sai {otp.MAX_WRONG} lần và có hiệu lực {otp.VALID_MINUTES} phút; hãy gửi mã mới nếu cần."
)


class ResetError(DomainError):
    """A password reset that cannot go on."""


def _matching_citizen(session: Session, id_number: str, phone_text: str) -> Account | None:
    id_number = re.sub(r"[\s.]", "", id_number or "")
    phone = phone_search_key(phone_text or "")
    if not id_number or phone is None:
        return None
    account = session.exec(select(Account).where(Account.kind == "citizen", Account.id_number == id_number,
                                                 Account.phone == phone)).first()
    return account if account is not None and account.status == "active" else None


def request_reset(session: Session, id_number: str, phone_text: str, client_addr: str,
                  now: datetime) -> int | None:
    """Queue a reset code when the data match an active citizen account and the phone's sending
    limits allow. Returns the SmsMessage id or None; the caller shows SENT_IF_MATCHING either way."""
    account = _matching_citizen(session, id_number, phone_text)
    if account is None:
        hash_password(otp.new_code())  # what issuing a code costs, so the time tells nothing
        return None
    try:
        issued = otp.issue(session, account.phone, OTP_PURPOSE, account.id_number, now)
    except otp.OtpError:
        session.rollback()
        hash_password(otp.new_code())
        return None  # within the cooldown or hourly limit: silently not sent
    sms = queue_sms(session, account.phone,
                    f"Ma OTP dat lai mat khau Chung thuc dien tu la {SECRET}. Ma co hieu luc "
                    f"{otp.VALID_MINUTES} phut. Neu ban khong yeu cau, hay bo qua tin nhan nay.",
                    "otp_reset_password", secret=issued.code, valid_for=issued.expires_at - now,
                    office_id=office_id_of_unit(session, account.one_stop_unit_id), now=now)
    audit.record(session, Actor(None, "Công dân (quên mật khẩu)", client_addr), "password_reset_requested",
                 target_type="account", target_id=account.id,
                 summary=f"Gửi mã OTP đặt lại mật khẩu tới {mask_phone(account.phone)}")
    session.flush()
    return sms.id


def reset_password(session: Session, id_number: str, phone_text: str, code: str, new_password: str,
                   client_addr: str, now: datetime) -> int:
    """Check the latest reset code, set the new password, unlock the account. Returns the account id.
    Raises ResetError (Vietnamese). The password rules are checked first (against the ID number typed,
    which is a citizen's username), so a bad password does not use up the code; every other failure
    gives one message, whether or not the account exists."""
    typed_id = re.sub(r"[\s.]", "", id_number or "")
    problems = check_password_rules(new_password or "", username=typed_id, id_number=typed_id)
    if problems:
        raise ResetError(" ".join(problems))
    account = _matching_citizen(session, id_number, phone_text)
    if account is None:
        verify_password(code or "", None)  # the cost of checking a code
        raise ResetError(WRONG_CODE_OR_DATA)
    try:
        otp.consume(session, account.phone, OTP_PURPOSE, account.id_number, code, now)
    except otp.OtpError as exc:
        error = ResetError(WRONG_CODE_OR_DATA)
        error.keep = exc.keep  # a counted wrong code is kept
        raise error from None
    account.failed_logins = 0
    account.locked_until = None
    clear_failures(session, account.id)
    actor = Actor(account.id, account.full_name, client_addr)
    audit.record(session, actor, "password_reset", target_type="account", target_id=account.id,
                 summary="Đặt lại mật khẩu bằng mã OTP")
    try:
        change_password(session, account.id, None, new_password, actor)
    except SignInError as exc:
        session.rollback()
        raise ResetError(exc.message) from None
    return account.id
