"""E-mail delivery from the persistent outbox (EmailMessage) over SMTP, with retries and exponential
back-off for at least a day (domain.outbox) before a message is marked failed."""
from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage as MimeMessage

from sqlalchemy import update
from sqlmodel import select

from app import files
from app.db import session_scope, write_scope
from app.settings import get_settings
from domain import webhook_events
from domain.clock import utcnow
from domain.email_address import is_valid_email
from domain.models import EmailMessage
from domain.outbox import SENDING_GRACE, backoff, email_again, retried_long_enough, take_back_interrupted
from domain.ports import Mailer

log = logging.getLogger(__name__)


class Undeliverable(Exception):
    """A message no retry can send (an invalid address, a header the mail library refuses)."""


def _build(message: EmailMessage) -> MimeMessage:
    settings = get_settings()
    if not is_valid_email(message.to_addr):
        raise Undeliverable("địa chỉ người nhận không hợp lệ")
    mime = MimeMessage()
    mime["From"] = settings.smtp_from
    mime["To"] = message.to_addr
    mime["Subject"] = message.subject
    mime.set_content(message.body)
    if message.attachment_sha256:
        mime.add_attachment(
            files.read_bytes(message.attachment_sha256),
            maintype="application",
            subtype="pdf",
            filename=message.attachment_name or "ban-sao.pdf",
        )
    return mime


class SmtpMailer:
    """The Mailer port over the SMTP server of the settings (SMTP_HOST, …)."""

    def send(self, message: MimeMessage) -> None:
        settings = get_settings()
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(message)


MAILER: Mailer = SmtpMailer()


def deliver_pending_email(limit: int = 20) -> int:
    """Send what is due; returns how many were sent. Without SMTP_HOST mail stays queued."""
    if not get_settings().smtp_host:
        return 0
    with session_scope() as session:
        due = session.exec(select(EmailMessage.id).where(EmailMessage.status.in_(("queued", "retrying")),
                                                         EmailMessage.next_attempt_at <= utcnow())
                           .order_by(EmailMessage.id).limit(limit)).all()
    sent = 0
    for message_id in due:
        try:
            sent += _deliver_one(message_id)
        except Exception:  # noqa: BLE001 — one message must never stop the others
            log.exception("e-mail %s: delivery failed unexpectedly", message_id)
    return sent


def _claim(message_id: int) -> bool:
    """Mark the message as being sent, unless another instance was first (several app instances)."""
    with write_scope() as session:
        claimed = session.exec(update(EmailMessage).where(EmailMessage.id == message_id,
                                                          EmailMessage.status.in_(("queued", "retrying")))
                               .values(status="sending", next_attempt_at=utcnow()))
        return claimed.rowcount == 1


def recover_interrupted(older_than: timedelta = SENDING_GRACE) -> int:
    """Messages left 'sending' by a process that died are tried again."""
    with write_scope() as session:  # a claim stamps next_attempt_at (see _claim)
        return session.exec(take_back_interrupted(EmailMessage, EmailMessage.next_attempt_at, utcnow(),
                                                  older_than)).rowcount


def _deliver_one(message_id: int) -> bool:
    if not _claim(message_id):
        return False
    with session_scope() as session:
        message = session.get(EmailMessage, message_id)
        final = False
        try:
            mime = _build(message)
            MAILER.send(mime)
            error = None
        except (OSError, smtplib.SMTPException, files.FileMissing) as exc:
            error = f"{type(exc).__name__}: {exc}"[:480]
            final = isinstance(exc, smtplib.SMTPRecipientsRefused)
        except (Undeliverable, ValueError, TypeError, UnicodeError) as exc:
            # the e-mail library refused the message itself (e.g. a line break in a header): no retry helps
            error, final = f"{type(exc).__name__}: {exc}"[:480], True
    with write_scope() as session:
        message = session.get(EmailMessage, message_id)
        message.attempts += 1
        if error is None:
            message.status, message.sent_at, message.last_error = "sent", utcnow(), ""
            webhook_events.record_delivered(session, message.dossier_id, "email")
        else:
            log.warning("e-mail %s not sent (attempt %s): %s", message_id, message.attempts, error)
            message.last_error = error
            message.status = "failed" if final or retried_long_enough(message.attempts) else "retrying"
            message.next_attempt_at = utcnow() + backoff(message.attempts)
    return error is None


def retry_now(message_id: int) -> None:
    """An official asks to try a failed message again."""
    with write_scope() as session:
        message = session.get(EmailMessage, message_id)
        if message is not None:
            email_again(message, utcnow())
