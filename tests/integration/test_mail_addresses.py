"""E-mail addresses (issue 12.9): one plain address, no line break, everywhere one is typed; a message
the mail library refuses fails with its reason and never holds up the others, nor the SMS round."""
from __future__ import annotations

import pytest
from sqlmodel import select

from app.db import session_scope, write_scope
from app.settings import reload_settings
from domain.email_address import INVALID, MAX_LENGTH, clean_email, is_valid_email
from domain.models import EmailMessage, SmsMessage

INJECTED = ["x@example.test\r\nBcc: victim@example.test", "x@example.test\nBcc:y@example.test",
            "a@example.test, b@example.test", "Tên <a@example.test>", "a@example.test\x00", "a@@example.test",
            "a@example", "a b@example.test", "a@example.test\r"]


@pytest.mark.parametrize("address", INJECTED)
def test_header_injection_and_lists_are_not_an_address(address):
    assert not is_valid_email(address)
    with pytest.raises(ValueError) as refused:
        clean_email(address)
    assert str(refused.value) == INVALID  # the words the official reads under the field


def test_plain_addresses_pass():
    assert clean_email("  an.nguyen+ct@example.com.vn ") == "an.nguyen+ct@example.com.vn"
    assert clean_email("\tXuan.X@example.com  ") == "Xuan.X@example.com"  # only blanks are stripped
    assert clean_email("") is None
    assert not is_valid_email("") and not is_valid_email(None)


def test_an_address_longer_than_mail_allows_is_refused():
    longest = "a" * 64 + "@" + ".".join(["b" * 60, "b" * 60, "b" * 64]) + ".vn"  # 254 characters, the limit
    assert len(longest) == MAX_LENGTH == 254 and is_valid_email(longest)
    assert not is_valid_email("c" + longest[1:] + "n")


def test_intake_refuses_a_requester_email_with_a_line_break(demo_db):
    from domain import dossiers
    from tests.support.workflow import user_named

    clerk = user_named("chungthuc")
    with write_scope() as session, pytest.raises(dossiers.WorkflowError) as refused:
        dossiers.open_dossier(session, clerk, dossiers.RequesterData(
            name="Nguyễn Văn An", id_number="001099012345", phone="0987654321", email=INJECTED[0]))
    assert "thư điện tử" in str(refused.value)


def test_a_message_the_mailer_refuses_fails_with_its_reason_and_the_rest_still_go(demo_db, monkeypatch):
    import socket

    from aiosmtpd.controller import Controller

    from app.web.jobs import deliver_all

    class Inbox:
        def __init__(self):
            self.rcpt = []

        async def handle_DATA(self, server, session, envelope):
            self.rcpt.append(list(envelope.rcpt_tos))
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(port))
    reload_settings()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with write_scope() as s:
            bad = EmailMessage(to_addr=INJECTED[0], subject="Bản sao", body="b")  # as stored before the fix
            good = EmailMessage(to_addr="an@example.test", subject="Bản sao", body="b")
            text = SmsMessage(phone="0987654321", body="Ho so da co ket qua", purpose="notice")
            s.add_all([bad, good, text])
            s.commit()
            ids = bad.id, good.id, text.id
        assert deliver_all() == (1, 1)
    finally:
        controller.stop()
    assert inbox.rcpt == [["an@example.test"]]
    with session_scope() as s:
        bad = s.get(EmailMessage, ids[0])
        assert bad.status == "failed" and "không hợp lệ" in bad.last_error
        assert s.get(EmailMessage, ids[1]).status == "sent"
        assert s.get(SmsMessage, ids[2]).status == "sent"
        assert s.exec(select(EmailMessage).where(EmailMessage.status == "sending")).all() == []
