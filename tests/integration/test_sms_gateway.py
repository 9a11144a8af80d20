"""The http SMS adapter against a local gateway on 127.0.0.1 (accepting, slow, failing), and the
outbox delivery: sent, retrying, failed — never dropped."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlmodel import select

from app.db import session_scope, write_scope
from app.outbox import sms
from app.settings import reload_settings
from domain.models import SmsMessage
from domain.sms import queue_sms


class Gateway:
    """A local SMS gateway; `mode` is ok | slow | error500 | error400."""

    def __init__(self):
        self.mode = "ok"
        self.received: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                gateway.received.append({"body": body, "auth": self.headers.get("Authorization"),
                                         "type": self.headers.get("Content-Type")})
                if gateway.mode == "slow":
                    time.sleep(1.0)
                status = {"ok": 200, "slow": 200, "error500": 500, "error400": 400}[gateway.mode]
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}' if status == 200 else b'{"error": "x"}')

            def log_message(self, *args):
                return  # keep the test output quiet

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    gw = Gateway()
    yield gw
    gw.close()


def test_http_adapter_posts_json_with_bearer_token(gateway):
    sms.HttpSms(gateway.url, "tok-123", timeout=2).send("0912345678", "Xin chao")
    (request,) = gateway.received
    assert request["body"] == {"to": "0912345678", "text": "Xin chao"}
    assert request["auth"] == "Bearer tok-123" and request["type"].startswith("application/json")


def test_http_adapter_retries_a_gateway_that_times_out(gateway):
    gateway.mode = "slow"
    started = time.monotonic()
    with pytest.raises(sms.SmsSendError) as err:
        sms.HttpSms(gateway.url, "t", timeout=0.2, tries=3, backoff=0.05).send("0912345678", "x")
    assert "timed out" in str(err.value) and err.value.retryable
    assert len(gateway.received) == 3 and time.monotonic() - started < 5


def test_http_adapter_retries_500_then_gives_up(gateway):
    gateway.mode = "error500"
    with pytest.raises(sms.SmsSendError) as err:
        sms.HttpSms(gateway.url, "t", timeout=2, tries=3, backoff=0.01).send("0912345678", "x")
    assert "HTTP 500" in str(err.value) and len(gateway.received) == 3


def test_http_adapter_does_not_retry_a_400(gateway):
    gateway.mode = "error400"
    with pytest.raises(sms.SmsSendError) as err:
        sms.HttpSms(gateway.url, "t", timeout=2, tries=3, backoff=0.01).send("0912345678", "x")
    assert not err.value.retryable and len(gateway.received) == 1


def queue(body="Ma OTP la 123456"):
    with write_scope() as session:
        message = queue_sms(session, "0912345678", body, "otp_create_account")
        session.commit()
        return message.id


def status_of(message_id):
    with session_scope() as session:
        return session.get(SmsMessage, message_id)


def test_delivery_through_the_configured_http_gateway(demo_db, gateway, monkeypatch):
    monkeypatch.setenv("SMS_ADAPTER", "http")
    monkeypatch.setenv("SMS_URL", gateway.url)
    monkeypatch.setenv("SMS_TOKEN", "secret-token")
    monkeypatch.setenv("SMS_TIMEOUT", "2")
    reload_settings()
    message_id = queue()
    assert sms.deliver_pending_sms() == 1
    row = status_of(message_id)
    assert row.status == "sent" and row.attempts == 1 and row.sent_at is not None
    assert gateway.received[0]["auth"] == "Bearer secret-token"
    assert sms.deliver_pending_sms() == 0  # nothing is sent twice


def test_failing_gateway_leaves_the_message_retrying_then_a_refusal_fails_it(demo_db, gateway):
    gateway.mode = "error500"
    adapter = sms.HttpSms(gateway.url, "t", timeout=1, tries=1)
    message_id = queue()
    assert sms.deliver_pending_sms(adapter) == 0
    row = status_of(message_id)
    assert (row.status, row.attempts) == ("retrying", 1) and "HTTP 500" in row.last_error
    assert sms.deliver_pending_sms(adapter) == 0 and status_of(message_id).attempts == 1  # back-off
    due_now(message_id)
    gateway.mode = "error400"
    sms.deliver_pending_sms(adapter)
    row = status_of(message_id)
    assert row.status == "failed" and row.attempts == 2
    assert row.body == "Ma OTP la 123456"  # kept, shown as failed
    gateway.mode = "ok"
    due_now(message_id)
    assert sms.deliver_pending_sms(adapter) == 0  # a failed message is not retried by itself


def due_now(message_id):
    """The back-off has passed (test_outbox_backoff moves the clock through a whole day)."""
    with write_scope() as session:
        session.get(SmsMessage, message_id).next_attempt_at = None
        session.commit()


def test_gateway_that_times_out_is_recorded_and_retried_later(demo_db, gateway):
    gateway.mode = "slow"
    message_id = queue()
    sms.deliver_pending_sms(sms.HttpSms(gateway.url, "t", timeout=0.2, tries=1))
    assert status_of(message_id).status == "retrying"
    gateway.mode = "ok"
    due_now(message_id)
    assert sms.deliver_pending_sms(sms.HttpSms(gateway.url, "t", timeout=2, tries=1)) == 1
    assert status_of(message_id).status == "sent"


def test_outbox_adapter_marks_messages_sent_and_recovers_interrupted_ones(demo_db):
    first, second = queue(), queue("Tin thu hai")
    with write_scope() as session:
        session.get(SmsMessage, second).status = "sending"  # a process stopped mid-delivery
        session.commit()
    assert sms.deliver_pending_sms() == 1
    assert sms.recover_interrupted() == 1
    assert sms.deliver_pending_sms() == 1
    with session_scope() as session:
        assert {m.status for m in session.exec(select(SmsMessage))} == {"sent"}
    assert status_of(first).status == "sent"


def test_sms_outbox_command_prints_the_latest(demo_db, capsys):
    from app.cli.sms_cli import sms_outbox_command

    queue("Ma OTP la 654321")
    assert sms_outbox_command(5) == 0
    out = capsys.readouterr().out
    assert "0912345678" in out and "654321" in out  # demo mode shows the body
