"""The open API: integration clients and their keys, the calls they made, and the dossier events sent to
their subscriber URLs (an outbox: one delivery row per event and client). Times are aware UTC."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from domain.clock import utcnow


class ApiClient(SQLModel, table=True):
    """An integration (a bank, the province's one-stop system). The key is stored only as its SHA-256;
    its first characters (`key_prefix`) find the row. The webhook secret is kept sealed (outbox key)."""
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=255)
    office_id: int | None = Field(default=None, foreign_key="office.id", index=True)
    scopes: list = Field(default_factory=list, sa_column=Column(JSON))
    key_prefix: str = Field(max_length=16, unique=True, index=True)
    key_hash: str = Field(max_length=64)
    rate_per_minute: int = 120
    webhook_url: str | None = Field(default=None, max_length=500)
    webhook_secret_box: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="account.id")
    key_rotated_at: datetime | None = None
    revoked_at: datetime | None = None


class ApiCall(SQLModel, table=True):
    """Every call a client made: what, when, from where, and the answer's status."""
    __table_args__ = (Index("ix_apicall_client_at", "client_id", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    client_id: int | None = Field(default=None, foreign_key="apiclient.id")
    at: datetime = Field(default_factory=utcnow)
    method: str = Field(max_length=8)
    path: str = Field(max_length=255)
    status: int = 0
    client_addr: str = Field(default="", max_length=64)


class DossierEvent(SQLModel, table=True):
    """Something that happened to a dossier, written in the transaction of the change it reports.
    Its id orders events (the API's cursor); `event_id` is the idempotency key subscribers see."""
    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=36, unique=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    kind: str = Field(max_length=16)
    payload: dict = Field(default_factory=dict, sa_column=Column(JSON))
    at: datetime = Field(default_factory=utcnow)


class WebhookDelivery(SQLModel, table=True):
    """One event to one client's subscriber URL: pending until the subscriber answers 2xx."""
    __table_args__ = (Index("ix_webhookdelivery_status_due", "status", "next_attempt_at"),
                      Index("ix_webhookdelivery_client_dossier", "client_id", "dossier_id", "event_id"))
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="dossierevent.id")
    client_id: int = Field(foreign_key="apiclient.id")
    dossier_id: int
    status: str = Field(default="pending", max_length=10)  # pending | delivered | cancelled
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow)
    last_status: int | None = None
    last_error: str = Field(default="", max_length=500)
    delivered_at: datetime | None = None
