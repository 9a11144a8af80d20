"""Dossier events out: a subscriber that was down for an hour receives every event afterwards, in order
per dossier, exactly once by id, each signed with HMAC-SHA256; a failed delivery is retried with the same
id before the dossier's later events; events are written with the change they report, or not at all."""
from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from app.db import UNITS, session_scope, write_scope
from app.outbox.webhooks import deliver_webhooks
from app.signing import certification_service as service
from domain import dossiers
from domain.clock import FixedClock, use_clock
from domain.models import DossierEvent, WebhookDelivery
from tests.support.api import new_client
from tests.support.webhook_receiver import Receiver, free_port
from tests.support.workflow import signed_dossier_ready, user_named


def events_in_db() -> list[DossierEvent]:
    with session_scope() as session:
        return list(session.exec(select(DossierEvent).order_by(DossierEvent.id)))


def subscribed(port: int):
    """A subscriber on this machine, which the operator lists in OUTBOUND_HOSTS (demo mode: http allowed)."""
    os.environ["OUTBOUND_HOSTS"] = f"127.0.0.1:{port}"  # the test's own DATA_DIR fixture restores the env
    return new_client(["read_dossiers"], webhook_url=f"http://127.0.0.1:{port}/hook")


def test_a_subscriber_down_for_an_hour_gets_every_event_afterwards_in_order_once(db_url):
    port = free_port()
    issued = subscribed(port)
    sealed_id = signed_dossier_ready(pages=1)
    service.sign(UNITS, user_named("lanhdao"), sealed_id)
    service.seal(UNITS, user_named("vanthu"), sealed_id)
    refused_id = signed_dossier_ready(pages=1)
    with write_scope() as session:
        dossiers.refuse(session, user_named("lanhdao"), refused_id, ["damaged_illegible"], "Bản chính rách.")
    clock = FixedClock(datetime.now(UTC))
    use_clock(clock)
    for _ in range(13):  # down: tried now and then, over an hour and a minute
        assert deliver_webhooks() == 0
        clock.advance(minutes=5)
    with session_scope() as session:
        attempts = [d.attempts for d in session.exec(select(WebhookDelivery).order_by(WebhookDelivery.id))]
    assert attempts[0] >= 4 and max(attempts) < 13  # retried with back-off, not at every run
    receiver = Receiver(issued.webhook_secret, port).start()
    try:
        clock.advance(hours=1)  # the longest back-off
        delivered = deliver_webhooks()
        assert deliver_webhooks() == 0  # nothing twice
    finally:
        receiver.stop()
    events = events_in_db()
    assert delivered == len(events) == len(receiver.hits)
    assert all(hit["signature_ok"] for hit in receiver.hits)
    assert sorted(h["id"] for h in receiver.hits) == sorted(e.event_id for e in events)
    by_dossier: dict[str, list[str]] = {}
    for hit in receiver.hits:
        by_dossier.setdefault(hit["dossier"], []).append(hit["type"])
    assert sorted(by_dossier.values()) == [
        ["received", "fee_paid", "submitted", "refused"],
        ["received", "fee_paid", "submitted", "signed", "sealed"]]
    refused = next(h["payload"] for h in receiver.hits if h["type"] == "refused")
    assert refused["data"]["grounds"][0]["legal_basis"].startswith("khoản 2 Điều 22")
    assert refused["portal_status"]["code"] == "3"
    sealed = next(h["payload"] for h in receiver.hits if h["type"] == "sealed")
    assert sealed["data"]["copies"][0]["certification_number"]


def test_a_failed_delivery_is_retried_with_its_id_before_the_dossiers_later_events(db_url):
    port = free_port()
    issued = subscribed(port)
    signed_dossier_ready(pages=1)  # received, fee_paid, submitted
    receiver = Receiver(issued.webhook_secret, port).start()
    receiver.fail_once = {"fee_paid"}
    clock = FixedClock(datetime.now(UTC))
    use_clock(clock)
    try:
        assert deliver_webhooks() == 1  # received; fee_paid refused: submitted waits behind it
        clock.advance(minutes=1)
        assert deliver_webhooks() == 2
    finally:
        receiver.stop()
    assert [(h["type"], h["answered"]) for h in receiver.hits] == [
        ("received", 200), ("fee_paid", 500), ("fee_paid", 200), ("submitted", 200)]
    assert receiver.hits[1]["id"] == receiver.hits[2]["id"]
    assert len({h["id"] for h in receiver.accepted()}) == 3


def test_a_refusal_that_is_refused_writes_no_event(db_url):
    subscribed(free_port())
    dossier_id = signed_dossier_ready(pages=1)
    before = len(events_in_db())
    with write_scope() as session, pytest.raises(dossiers.WorkflowError):
        dossiers.refuse(session, user_named("lanhdao"), dossier_id, [], "không có căn cứ")
    assert len(events_in_db()) == before


def test_a_revoked_client_is_sent_nothing_more(db_url):
    from domain import api_clients

    port = free_port()
    issued = subscribed(port)
    signed_dossier_ready(pages=1)
    with write_scope() as session:
        api_clients.revoke_client(session, user_named("admin"), issued.client_id)
    receiver = Receiver(issued.webhook_secret, port).start()
    try:
        assert deliver_webhooks() == 0
    finally:
        receiver.stop()
    assert receiver.hits == []


def test_a_delivery_another_instance_is_sending_is_not_sent_twice(db_url):
    from app.outbox.webhooks import _claim

    port = free_port()
    issued = subscribed(port)
    signed_dossier_ready(pages=1)
    with session_scope() as session:
        first = session.exec(select(WebhookDelivery).order_by(WebhookDelivery.event_id)).first()
    assert _claim(first)  # another instance took the dossier's first event and is sending it
    assert not _claim(first)  # nobody takes it again while it is out
    receiver = Receiver(issued.webhook_secret, port).start()
    try:
        assert deliver_webhooks() == 0  # the line waits: its head is out with the other instance
    finally:
        receiver.stop()
    assert receiver.hits == []
