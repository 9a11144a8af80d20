"""The SMS outbox rule: every message is first queued in SmsMessage, in the use case's transaction;
app.outbox.sms delivers it later.

A secret (OTP code, temporary password) is never stored in clear: the body keeps the marker SECRET
where the secret goes, and the secret itself is sealed by the SecretBox the app installed
(`use_secret_box`), kept only until it is sent or expires (`valid_for`), then wiped. Screens show
the body with the marker masked; only the demo's outbox page opens the box."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import update
from sqlmodel import Session

from domain import audit
from domain.clock import utcnow
from domain.errors import DomainError
from domain.models import SmsMessage

SECRET = "[[secret]]"
MASK = "••••••"
TEMP_PASSWORD_VALID = timedelta(hours=72)  # a temporary password is wiped at first use or after this
TEMP_PASSWORD_PURPOSES = ("temp_password", "official_password")
NOT_RESENDABLE = "Chỉ gửi lại được tin nhắn đã lỗi của cơ quan mình."
SECRET_GONE = ("Mã OTP hoặc mật khẩu tạm thời trong tin nhắn này đã hết hạn nên không gửi lại được. "
               "Hãy gửi mã OTP mới hoặc cấp lại mật khẩu.")

# Secrets left in clear by older versions (and in any text shown outside demo mode).
_SIX_DIGITS = re.compile(r"(?<!\d)\d{6}(?!\d)")
_PASSWORD = re.compile(r"(mat khau(?:\s+tam\s+thoi)?\s*:?\s*)([^\s.,;]*\d[^\s.,;]*)", re.IGNORECASE)


class SecretBox(Protocol):
    def seal(self, secret: str) -> str: ...

    def open(self, sealed: str) -> str | None: ...


_box: SecretBox | None = None


def use_secret_box(box: SecretBox) -> None:
    """The app installs its box (a key kept outside the database) once, at import time."""
    global _box
    _box = box


def queue_sms(session: Session, phone: str, body: str, purpose: str, *, secret: str | None = None,
              valid_for: timedelta | None = None, office_id: int | None = None,
              now: datetime | None = None) -> SmsMessage:
    """Add a queued message to the caller's transaction (in the caller's unit of work). With `secret`, `body`
    must hold SECRET once; the secret is sealed and wiped at the latest after `valid_for`."""
    message = SmsMessage(phone=phone, body=body, purpose=purpose, status="queued", office_id=office_id)
    if secret is not None:
        if body.count(SECRET) != 1:
            raise ValueError("an SMS with a secret needs the SECRET marker exactly once in its body")
        if _box is None:
            raise RuntimeError("no SecretBox installed (app.outbox.outbox_secrets)")
        message.secret_box = _box.seal(secret)
        message.secret_expires_at = (now or utcnow()) + (valid_for or TEMP_PASSWORD_VALID)
    session.add(message)
    session.flush()
    return message


def text_to_send(message: SmsMessage) -> str | None:
    """The body with its secret in place, or None when the secret is gone (wiped or key lost)."""
    if SECRET not in message.body:
        return message.body
    secret = _box.open(message.secret_box) if (_box is not None and message.secret_box) else None
    return None if secret is None else message.body.replace(SECRET, secret)


def shown_text(message: SmsMessage, *, demo: bool) -> str:
    """What a screen may show: in demo mode the delivered text while its secret lasts, else masked."""
    if demo:
        text = text_to_send(message)
        if text is not None:
            return text
    return mask_secrets(message.body.replace(SECRET, MASK))


def mask_secrets(body: str) -> str:
    """'... ma OTP la 123456 ...' -> '... ma OTP la ****** ...'; the password after
    'mat khau [tam thoi][:]'."""
    body = _PASSWORD.sub(lambda m: m.group(1) + "•" * 8, body)
    return _SIX_DIGITS.sub("******", body)


def mask_phone(phone: str) -> str:
    """'0912345678' -> '0912***678' for audit summaries and logs."""
    return phone[:4] + "***" + phone[-3:] if len(phone) >= 8 else "***"


def forget_temporary_passwords(session: Session, phone: str) -> None:
    """The sealed temporary passwords for this phone go (in the caller's unit of work): one was just used to
    sign in, or a new one replaces them (a message still waiting for an old one then fails: it would only
    bring a password that no longer works)."""
    session.exec(update(SmsMessage).where(SmsMessage.phone == phone,
                                          SmsMessage.purpose.in_(TEMP_PASSWORD_PURPOSES),
                                          SmsMessage.secret_box.is_not(None))
                 .values(secret_box=None))


def resend(session: Session, user, message_id: int) -> SmsMessage:
    """An administrator (a domain.access.CurrentUser) sends a failed message of their office again: a
    fresh day of tries. A message whose secret is gone cannot be: a new code or password is needed."""
    actor, office_id = audit.actor_of(user), user.office_id
    message = session.get(SmsMessage, message_id)
    if message is None or office_id is None or message.office_id != office_id or message.status != "failed":
        raise DomainError(NOT_RESENDABLE)
    if text_to_send(message) is None:
        raise DomainError(SECRET_GONE)
    message.status, message.attempts, message.next_attempt_at = "queued", 0, None
    audit.record(session, actor, "sms_resend", target_type="sms", target_id=message.id, office_id=office_id,
                 summary=f"Gửi lại tin nhắn tới {mask_phone(message.phone)}")
    session.flush()
    return message
