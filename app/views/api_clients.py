"""The API administration screen's reads: the office's integration clients with their recent use, and the
webhook delivery log (newest first)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import func, select

from app.db import session_scope
from domain.api_clients import clients_of
from domain.clock import utcnow
from domain.models import ApiCall, ApiClient, Dossier, DossierEvent, WebhookDelivery

LOG_LIMIT = 100


@dataclass(frozen=True)
class ClientRow:
    id: int
    name: str
    scopes: list[str]
    key_prefix: str
    webhook_url: str
    rate_per_minute: int
    created_at: datetime
    revoked: bool
    calls_24h: int
    pending: int


@dataclass(frozen=True)
class DeliveryRow:
    id: int
    client: str
    dossier_code: str
    event_type: str
    event_id: str
    status: str
    attempts: int
    last_status: int | None
    last_error: str
    next_attempt_at: datetime
    delivered_at: datetime | None


def office_clients(office_id: int | None) -> list[ClientRow]:
    since = utcnow() - timedelta(days=1)
    with session_scope() as session:
        rows = []
        for c in clients_of(session, office_id):
            calls = session.exec(select(func.count()).select_from(ApiCall)
                                 .where(ApiCall.client_id == c.id, ApiCall.at >= since)).one()
            pending = session.exec(select(func.count()).select_from(WebhookDelivery)
                                   .where(WebhookDelivery.client_id == c.id,
                                          WebhookDelivery.status == "pending")).one()
            rows.append(ClientRow(c.id, c.name, list(c.scopes or []), c.key_prefix, c.webhook_url or "",
                                  c.rate_per_minute, c.created_at, c.revoked_at is not None, int(calls),
                                  int(pending)))
        return rows


def delivery_log(office_id: int | None, limit: int = LOG_LIMIT) -> list[DeliveryRow]:
    with session_scope() as session:
        rows = session.exec(
            select(WebhookDelivery, ApiClient.name, Dossier.code, DossierEvent.kind, DossierEvent.event_id)
            .join(ApiClient, ApiClient.id == WebhookDelivery.client_id)
            .join(DossierEvent, DossierEvent.id == WebhookDelivery.event_id)
            .join(Dossier, Dossier.id == WebhookDelivery.dossier_id)
            .where(ApiClient.office_id == office_id)
            .order_by(WebhookDelivery.id.desc()).limit(limit)).all()
        return [DeliveryRow(d.id, name, code, kind, event_id, d.status, d.attempts, d.last_status,
                            d.last_error, d.next_attempt_at, d.delivered_at)
                for d, name, code, kind, event_id in rows]
