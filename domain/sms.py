"""The SMS outbox rule: every message is first queued in SmsMessage, in the use case's transaction;
app.sms delivers it later. Secrets (OTP codes, passwords) are masked wherever a message is shown
outside demo mode."""
from __future__ import annotations

import re

from sqlmodel import Session

from domain.models import SmsMessage

# Purposes whose body holds a secret.
OTP_PURPOSES = frozenset({"otp_create_account", "otp_reset_password", "otp_change_phone"})
PASSWORD_PURPOSES = frozenset({"temp_password"})

_SIX_DIGITS = re.compile(r"(?<!\d)\d{6}(?!\d)")
_PASSWORD = re.compile(r"(mat khau[^:]*:\s*)(\S+)", re.IGNORECASE)


def queue_sms(session: Session, phone: str, body: str, purpose: str) -> SmsMessage:
    """Add a queued message to the caller's transaction (the caller commits)."""
    message = SmsMessage(phone=phone, body=body, purpose=purpose, status="queued")
    session.add(message)
    session.flush()
    return message


def mask_secrets(body: str) -> str:
    """'... ma OTP la 123456 ...' -> '... ma OTP la ****** ...'; the password after 'Mat khau …:' too."""
    body = _PASSWORD.sub(lambda m: m.group(1) + "•" * 8, body)
    return _SIX_DIGITS.sub("******", body)


def mask_phone(phone: str) -> str:
    """'0912345678' -> '0912***678' for audit summaries and logs."""
    return phone[:4] + "***" + phone[-3:] if len(phone) >= 8 else "***"
