"""Nothing lost when a gateway is down (issue 34.5): SMS and e-mail are tried again with exponential
back-off for a day, the secret of a temporary password stays sealed until it is sent, used or 72 h old,
and an administrator can send a failed message again. Time moves on the process clock."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app.db import session_scope, write_scope
from app.outbox import sms
from app.settings import reload_settings
from app.web.jobs import deliver_email_now
from domain import accounts
from domain import administration as adm
from domain.clock import FixedClock, use_clock
from domain.errors import DomainError
from domain.models import Account, EmailMessage, SmsMessage
from domain.sms import SECRET_GONE, resend, text_to_send
from tests.integration.test_mail_delivery import free_port
from tests.integration.test_outbox_secrets import admin
from tests.integration.test_sms_gateway import Gateway

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    moving = FixedClock(T0)
    use_clock(moving)
    yield moving
    use_clock(None)


@pytest.fixture
def gateway():
    gw = Gateway()
    gw.mode = "error500"
    yield gw
    gw.close()


def new_official() -> int:
    user, actor = admin()
    with write_scope() as s:
        adm.create_official(s, user, adm.OfficialInput(
            username="tuphap", full_name="Vũ Thị Tư Pháp", id_number="001090001234", phone="0912000111",
            email="", unit_id=None))
    with session_scope() as s:
        return s.exec(select(SmsMessage.id).where(SmsMessage.purpose == "official_password")).one()


def row(message_id: int) -> SmsMessage:
    with session_scope() as s:
        return s.get(SmsMessage, message_id)


def run_until(clock: FixedClock, message_id: int, until: datetime, adapter) -> list[datetime]:
    """Deliver whenever the message is due, moving the clock to its next try; the times tried."""
    tried = []
    while row(message_id).status == "retrying" or not tried:
        due = row(message_id).next_attempt_at or clock.now()
        if due > until:
            break
        clock.set(max(due, clock.now()))
        tried.append(clock.now())
        sms.deliver_pending_sms(adapter)
    return tried


def test_a_temporary_password_waits_out_a_day_long_gateway_outage_and_arrives(demo_db, clock, gateway):
    message_id = new_official()
    adapter = sms.HttpSms(gateway.url, "t", timeout=2, tries=1)
    tried = run_until(clock, message_id, T0 + timedelta(hours=23), adapter)
    gaps = [b - a for a, b in zip(tried, tried[1:], strict=False)]
    assert gaps[:4] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]  # exponential back-off
    assert max(gaps) == timedelta(hours=1) and len(tried) < 40  # then hourly: a few dozen tries a day
    waiting = row(message_id)
    assert waiting.status == "retrying" and text_to_send(waiting) is not None  # the secret is still sealed
    gateway.mode = "ok"
    clock.set(waiting.next_attempt_at)
    assert sms.deliver_pending_sms(adapter) == 1
    assert "mat khau" in gateway.received[-1]["body"]["text"] and row(message_id).status == "sent"


def test_after_a_day_the_administrator_sees_the_failure_and_resends_until_the_password_expires(
        demo_db, clock, gateway):
    message_id = new_official()
    adapter = sms.HttpSms(gateway.url, "t", timeout=2, tries=1)
    run_until(clock, message_id, T0 + timedelta(hours=30), adapter)
    failed = row(message_id)
    assert failed.status == "failed" and clock.now() - T0 >= timedelta(hours=24)
    assert text_to_send(failed) is not None  # 72 h of validity: still sendable
    user, actor = admin()
    with write_scope() as s:
        resend(s, user, message_id)
    gateway.mode = "ok"
    assert sms.deliver_pending_sms(adapter) == 1
    assert row(message_id).status == "sent" and "mat khau" in gateway.received[-1]["body"]["text"]


def test_the_demo_outbox_forgets_a_temporary_password_at_its_first_use(demo_db):
    message_id = new_official()
    assert sms.deliver_pending_sms() == 1  # the demo's outbox "phone" keeps showing it…
    password = text_to_send(row(message_id)).split("mat khau ")[1].split(".")[0]
    with write_scope() as s:
        accounts.sign_in(s, "tuphap", password, client_addr="10.0.0.9")
    assert row(message_id).secret_box is None  # …until it is used


def test_a_password_past_72_hours_cannot_be_resent(demo_db, clock, gateway):
    message_id = new_official()
    adapter = sms.HttpSms(gateway.url, "t", timeout=2, tries=1)
    run_until(clock, message_id, T0 + timedelta(hours=30), adapter)
    clock.set(T0 + timedelta(hours=72, minutes=1))
    sms.wipe_expired_secrets()
    user, actor = admin()
    with write_scope() as s, pytest.raises(DomainError) as refused:
        resend(s, user, message_id)
    assert refused.value.message == SECRET_GONE


def test_e_mail_is_retried_with_back_off_for_a_day_then_failed(demo_db, clock, monkeypatch):
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(free_port()))  # nobody listens: the server is down
    reload_settings()
    with write_scope() as s:
        message = EmailMessage(to_addr="an@example.test", subject="Thông báo", body="Xin chào", created_at=T0,
                               next_attempt_at=T0)
        s.add(message)
        s.commit()
        message_id = message.id

    def current() -> EmailMessage:
        with session_scope() as s:
            return s.get(EmailMessage, message_id)

    while current().status != "failed" and clock.now() - T0 < timedelta(hours=48):
        clock.set(max(current().next_attempt_at, clock.now()))
        deliver_email_now()
        if clock.now() - T0 < timedelta(hours=24):
            assert current().status == "retrying"
    assert current().status == "failed" and timedelta(hours=24) <= clock.now() - T0 < timedelta(hours=26)


def test_a_new_password_makes_the_one_still_waiting_fail_instead_of_arriving_late(demo_db, clock, gateway):
    first = new_official()
    user, actor = admin()
    with session_scope() as s:
        account_id = s.exec(select(Account.id).where(Account.username == "tuphap")).one()
    with write_scope() as s:
        adm.reset_password(s, user, account_id)
    gateway.mode = "ok"
    sms.deliver_pending_sms(sms.HttpSms(gateway.url, "t", timeout=2, tries=1))
    assert row(first).status == "failed"  # the old password would not work: it is not sent
    assert len(gateway.received) == 1 and "mat khau" in gateway.received[0]["body"]["text"]
