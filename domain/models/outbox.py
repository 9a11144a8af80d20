"""The outboxes: SMS and e-mail waiting for delivery (and their history).
Times are aware UTC (domain.clock.utcnow); dates are local dates."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from domain.clock import utcnow


class SmsMessage(SQLModel, table=True):
    """SMS outbox: every message is kept, with its delivery status. A secret (OTP, temporary password) is
    never in `body` (which holds domain.sms.SECRET where it goes): it is kept encrypted in `secret_box`
    until sent or `secret_expires_at`, then wiped."""
    id: int | None = Field(default=None, primary_key=True)
    phone: str = Field(index=True, max_length=10)
    body: str = Field(sa_column=Column(Text))
    purpose: str = Field(default="", max_length=32)
    status: str = Field(default="queued", max_length=10, index=True)  # queued|sending|sent|retrying|failed
    attempts: int = 0
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    sent_at: datetime | None = None
    office_id: int | None = Field(default=None, index=True)  # whose page may list it
    secret_box: str | None = Field(default=None, sa_column=Column(Text))
    secret_expires_at: datetime | None = None
    claimed_at: datetime | None = None  # when a delivery run took it ('sending')
    next_attempt_at: datetime | None = None  # a retry waits until then (back-off); None: at once


class EmailMessage(SQLModel, table=True):
    """E-mail outbox with retries; the attachment is a file in the store."""
    id: int | None = Field(default=None, primary_key=True)
    to_addr: str = Field(max_length=255)
    subject: str = Field(max_length=255)
    body: str = Field(sa_column=Column(Text))
    attachment_sha256: str | None = Field(default=None, max_length=64)
    attachment_name: str | None = Field(default=None, max_length=255)
    dossier_id: int | None = Field(default=None, index=True)
    status: str = Field(default="queued", max_length=10, index=True)  # queued|sent|retrying|failed
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, index=True)
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
