"""SMS adapters (domain.ports.SmsGateway) and the delivery of the outbox.

Use cases only queue messages (domain.sms.queue_sms). `deliver_pending_sms()` sends the queued and
retrying rows through the configured adapter: SMS_ADAPTER=outbox (default; the outbox row itself is
the demo "delivery") or SMS_ADAPTER=http (JSON POST to SMS_URL with a bearer token). A message that
cannot be sent is tried again with exponential back-off (domain.outbox.backoff) and ends as `failed`
only after a day of tries (or when its secret's own validity ends); nothing is dropped, and an
administrator can send a failed one again from /admin/sms (domain.sms.resend).
The delivery loop of `app/web/jobs.py` sends every office's messages (with the e-mail outbox); a page that
must tell at once whether its message went sends only its clicker's office's:
`await run.io_bound(deliver_pending_sms, office_id=user.office_id)`.
"""
from __future__ import annotations

import logging
import threading
import time

import httpx
from sqlalchemy import or_, update
from sqlmodel import select

from app.db import session_scope, write_scope
from app.settings import get_settings
from domain.clock import utcnow
from domain.models import SmsMessage
from domain.outbox import SENDING_GRACE, backoff, retried_long_enough, take_back_interrupted
from domain.ports import SmsGateway
from domain.sms import mask_phone, text_to_send

log = logging.getLogger(__name__)

PENDING = ("queued", "retrying")

_deliver_lock = threading.Lock()  # one delivery run at a time in this process


class SmsSendError(Exception):
    """The gateway did not accept the message; `retryable` says whether trying again may help."""

    def __init__(self, message: str, retryable: bool = True):
        super().__init__(message)
        self.retryable = retryable


class OutboxSms:
    """Demo delivery: the message stays readable in the outbox (/admin/sms, `main.py sms-outbox`) while
    its secret lasts — the outbox is the demo's phone. Outside demo mode nothing can read it there."""

    keeps_secret = True

    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s kept in the outbox", mask_phone(phone))


class HttpSms:
    """POST {"to": phone, "text": body} with `Authorization: Bearer <token>`; retries timeouts,
    connection errors and 5xx/429 answers with exponential backoff; a 4xx is final."""

    def __init__(self, url: str, token: str, timeout: float = 5.0, tries: int = 3, backoff: float = 0.5,
                 transport: httpx.BaseTransport | None = None):
        if not url:
            raise ValueError("SMS_URL is required for SMS_ADAPTER=http")
        self.url, self.token, self.timeout = url, token, timeout
        self.tries, self.backoff, self.transport = max(1, tries), backoff, transport

    def send(self, phone: str, text: str) -> None:
        last: SmsSendError | None = None
        with httpx.Client(timeout=self.timeout, transport=self.transport) as client:
            for attempt in range(self.tries):
                if attempt:
                    time.sleep(self.backoff * 2 ** (attempt - 1))
                try:
                    response = client.post(self.url, json={"to": phone, "text": text},
                                           headers={"Authorization": f"Bearer {self.token}"})
                except httpx.TimeoutException:
                    last = SmsSendError(f"gateway timed out after {self.timeout:g} s")
                    continue
                except httpx.HTTPError as exc:
                    last = SmsSendError(f"gateway unreachable: {type(exc).__name__}")
                    continue
                if response.is_success:
                    return
                last = SmsSendError(f"gateway answered HTTP {response.status_code}",
                                    retryable=response.status_code >= 500 or response.status_code == 429)
                if not last.retryable:
                    break
        raise last or SmsSendError("gateway failed")


def gateway_from_settings() -> SmsGateway:
    settings = get_settings()
    if settings.sms_adapter == "http":
        return HttpSms(settings.sms_url, settings.sms_token, settings.sms_timeout)
    if settings.sms_adapter != "outbox":
        log.warning("Unknown SMS_ADAPTER=%r; using the outbox", settings.sms_adapter)
    return OutboxSms()


def deliver_pending_sms(gateway: SmsGateway | None = None, limit: int = 50, *,
                        office_id: int | None = None) -> int:
    """Send the queued and retrying messages (of `office_id` only when given; every office's only from
    the background job); returns how many were sent. Never raises for a gateway failure: the row becomes
    retrying (attempts+1, last_error, next_attempt_at after the back-off), or failed after a day of tries."""
    if not _deliver_lock.acquire(blocking=False):
        return 0  # another run is busy with the same rows
    try:
        gateway = gateway or gateway_from_settings()
        wipe_expired_secrets()
        with session_scope() as session:
            due = or_(SmsMessage.next_attempt_at.is_(None), SmsMessage.next_attempt_at <= utcnow())
            mine = () if office_id is None else (SmsMessage.office_id == office_id,)
            ids = session.exec(select(SmsMessage.id).where(SmsMessage.status.in_(PENDING), due, *mine)
                               .order_by(SmsMessage.id).limit(limit)).all()
        return sum(_deliver_one(gateway, message_id) for message_id in ids)
    finally:
        _deliver_lock.release()


def _deliver_one(gateway: SmsGateway, message_id: int) -> bool:
    # Claim the row in a short transaction, so another app instance does not send it too.
    with write_scope() as session:
        claimed = session.exec(update(SmsMessage).where(SmsMessage.id == message_id,
                                                        SmsMessage.status.in_(PENDING))
                               .values(status="sending", claimed_at=utcnow())).rowcount
        message = session.get(SmsMessage, message_id) if claimed else None
        phone, text = (message.phone, text_to_send(message)) if message else ("", None)
    if not claimed:
        return False
    error: str | None = None
    retryable = True
    try:
        if text is None:
            raise SmsSendError("mã bí mật đã hết hạn hoặc không còn giải mã được", retryable=False)
        gateway.send(phone, text)
    except Exception as exc:  # noqa: BLE001 — any failure is recorded on the row
        error = str(exc)[:500] or type(exc).__name__
        retryable = getattr(exc, "retryable", True)
    with write_scope() as session:
        message = session.get(SmsMessage, message_id)
        message.attempts += 1
        if error is None:
            message.status, message.sent_at, message.last_error = "sent", utcnow(), ""
            if not (getattr(gateway, "keeps_secret", False) and get_settings().demo):
                message.secret_box = None  # sent: the secret is of no further use here
        else:
            # the secret stays sealed until its own validity ends: an administrator may still resend
            final = retried_long_enough(message.attempts) or not retryable
            message.status, message.last_error = ("failed" if final else "retrying"), error
            message.next_attempt_at = utcnow() + backoff(message.attempts)
            log.warning("SMS #%s to %s not sent (attempt %s): %s", message_id, mask_phone(phone),
                        message.attempts, error)
    return error is None


def sms_status(message_id: int) -> str | None:
    with session_scope() as session:
        message = session.get(SmsMessage, message_id)
        return message.status if message else None


def recover_interrupted(older_than=SENDING_GRACE) -> int:
    """Rows left `sending` longer than the grace period (a process stopped mid-delivery) go back to
    `retrying`; a younger one may still be in another instance's hands."""
    with write_scope() as session:
        return session.exec(take_back_interrupted(SmsMessage, SmsMessage.claimed_at, utcnow(),
                                                  older_than)).rowcount


def wipe_expired_secrets(now=None) -> int:
    """Forget every secret past its validity; a message still waiting for it can no longer be sent."""
    now = now or utcnow()
    with write_scope() as session:
        expired = (SmsMessage.secret_box.is_not(None), SmsMessage.secret_expires_at < now)
        failed = session.exec(update(SmsMessage).where(*expired, SmsMessage.status.in_(PENDING))
                              .values(status="failed", secret_box=None,
                                      last_error="hết hạn trước khi gửi được")).rowcount
        wiped = session.exec(update(SmsMessage).where(*expired).values(secret_box=None)).rowcount
    return failed + wiped
