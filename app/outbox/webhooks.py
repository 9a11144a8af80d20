"""Webhook delivery from the outbox (domain.webhook_events): each pending delivery is POSTed as JSON,
signed with the client's secret (HMAC-SHA256 over "<timestamp>.<body>"), retried with exponential back-off
until the subscriber answers 2xx, in order per dossier and client: a later event of a dossier waits while
an earlier one is pending. Subscribers de-duplicate by `X-Webhook-Id` (the event id).

Headers: `X-Webhook-Id`, `X-Webhook-Timestamp` (Unix seconds), `X-Webhook-Signature: v1=<hex>`.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
from datetime import UTC, datetime, timedelta

import httpx
from sqlmodel import select, update

from app.db import session_scope, write_scope
from app.outbound import url_problem
from app.outbox.outbox_secrets import FernetBox
from domain.clock import utcnow
from domain.models import ApiClient, DossierEvent, WebhookDelivery

log = logging.getLogger(__name__)
TIMEOUT = 10.0
MAX_BACKOFF = timedelta(hours=1)
LEASE = timedelta(seconds=60)  # longer than TIMEOUT: one instance sends a delivery at a time
ROUND_LIMIT = 500  # deliveries per run at most (the next run goes on)
_lock = threading.Lock()  # one run at a time in this process


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … capped at an hour: a subscriber down for a day is tried every hour."""
    return min(MAX_BACKOFF, timedelta(seconds=30 * 2 ** max(0, attempts - 1)))


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return "v1=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def deliver_webhooks(transport: httpx.BaseTransport | None = None) -> int:
    """Send what is due, dossier by dossier in event order; returns how many were delivered."""
    if not _lock.acquire(blocking=False):
        return 0
    try:
        with httpx.Client(timeout=TIMEOUT, transport=transport, follow_redirects=False) as http:
            return _run(http)
    finally:
        _lock.release()


def _run(http: httpx.Client) -> int:
    """Pass after pass, the due head of each (client, dossier) line; a delivered head lets the line's next
    event go in the next pass, a failed one is due again only after its back-off, so its line waits."""
    delivered, tried = 0, 0
    while tried < ROUND_LIMIT:
        heads = _due_heads()
        if not heads:
            break
        for due in heads[:ROUND_LIMIT - tried]:
            tried += 1
            if _claim(due):
                delivered += _send(http, due)
    return delivered


def _due_heads() -> list[WebhookDelivery]:
    """The oldest pending delivery of each (client, dossier) line, when it is due now: a later event of a
    dossier is never sent while an earlier one waits."""
    with session_scope() as session:
        pending = session.exec(select(WebhookDelivery).where(WebhookDelivery.status == "pending")
                               .order_by(WebhookDelivery.event_id)).all()
    heads: dict[tuple[int, int], WebhookDelivery] = {}
    for row in pending:
        heads.setdefault((row.client_id, row.dossier_id), row)
    now = utcnow()
    return [row for row in heads.values() if _aware(row.next_attempt_at) <= now]


def _claim(delivery: WebhookDelivery) -> bool:
    """Take the delivery for LEASE, unless another instance took it first (it moved next_attempt_at). A
    process that dies while sending leaves it to be tried again when the lease ends (the id de-duplicates)."""
    with write_scope() as session:
        taken = session.exec(update(WebhookDelivery).where(
            WebhookDelivery.id == delivery.id, WebhookDelivery.status == "pending",
            WebhookDelivery.next_attempt_at == delivery.next_attempt_at,
        ).values(next_attempt_at=utcnow() + LEASE))
        return taken.rowcount == 1


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # a store without zones gives naive UTC


def _send(http: httpx.Client, delivery: WebhookDelivery) -> bool:
    with session_scope() as session:
        client = session.get(ApiClient, delivery.client_id)
        event = session.get(DossierEvent, delivery.event_id)
        url, box = client.webhook_url, client.webhook_secret_box
        payload, event_id = event.payload, event.event_id
    secret = FernetBox().open(box) if box else None
    status, error = None, ""
    if not url or secret is None:
        error = "không có địa chỉ hoặc khóa ký sự kiện"
    elif (problem := url_problem(url)) is not None:  # the operator's allow-list, read again at each send
        error = f"địa chỉ không được phép: {problem}"[:480]
    else:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = str(int(utcnow().timestamp()))
        try:
            response = http.post(url, content=body, headers={
                "Content-Type": "application/json", "X-Webhook-Id": event_id,
                "X-Webhook-Timestamp": timestamp, "X-Webhook-Signature": signature(secret, timestamp, body),
                "User-Agent": "chungthuc-webhooks/1"})
            status = response.status_code
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:480]
    return _finish(delivery.id, status, error)


def _finish(delivery_id: int, status: int | None, error: str) -> bool:
    with write_scope() as session:
        row = session.get(WebhookDelivery, delivery_id)
        row.attempts += 1
        row.last_status, row.last_error = status, error
        if not error:
            row.status, row.delivered_at = "delivered", utcnow()
        else:
            row.next_attempt_at = utcnow() + backoff(row.attempts)
            log.info("webhook %s not delivered (attempt %s): %s", delivery_id, row.attempts, error)
    return not error
