"""E-mail delivery of the certified copy through a real SMTP server (aiosmtpd), with retries."""

from __future__ import annotations

import email
import socket

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from app import files
from app.db import UNITS, session_scope
from app.outbox.mailer import retry_now
from app.settings import reload_settings
from app.signing import certification_service as service
from app.web.jobs import deliver_email_now
from domain.models import EmailMessage
from tests.support.workflow import signed_dossier_ready, user_named


class Inbox:
    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_port(demo_db, monkeypatch) -> int:
    port = free_port()
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(port))
    reload_settings()
    return port


def issue_copy(email_addr: str = "an@example.test"):
    dossier_id = signed_dossier_ready(pages=1, email=email_addr)
    service.sign(UNITS, user_named("lanhdao"), dossier_id)
    return dossier_id, service.seal(UNITS, user_named("vanthu"), dossier_id)[0]


def mail_of(dossier_id: int) -> EmailMessage:
    with session_scope() as session:
        return session.exec(select(EmailMessage).where(EmailMessage.dossier_id == dossier_id)).one()


def test_sealed_copy_is_emailed_with_the_pdf_attached(smtp_port):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        dossier_id, entry = issue_copy()
        assert deliver_email_now() == 1
    finally:
        controller.stop()
    assert inbox.recipients == [["an@example.test"]]
    message = inbox.messages[0]
    assert "1/ĐT" in str(email.header.make_header(email.header.decode_header(message["Subject"])))
    attachments = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
    assert len(attachments) == 1
    assert attachments[0].get_payload(decode=True) == files.read_bytes(entry.file_sha256)
    sent = mail_of(dossier_id)
    assert sent.status == "sent" and sent.attempts == 1 and sent.sent_at is not None


def test_server_down_means_retrying_then_delivered_when_it_is_back(smtp_port):
    dossier_id, _entry = issue_copy()
    assert deliver_email_now() == 0  # nobody listens on the port yet
    waiting = mail_of(dossier_id)
    assert waiting.status == "retrying" and waiting.attempts == 1
    assert "ConnectionRefusedError" in waiting.last_error or "Errno" in waiting.last_error
    assert deliver_email_now() == 0  # backoff: not due again yet
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        retry_now(waiting.id)  # the official's «Gửi lại»
        assert deliver_email_now() == 1
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    delivered = mail_of(dossier_id)
    assert delivered.status == "sent" and delivered.attempts == 2 and delivered.last_error == ""
