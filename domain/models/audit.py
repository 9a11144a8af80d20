"""The audit trail (nhật ký hệ thống).
Times are aware UTC (domain.clock.utcnow); dates are local dates."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from domain.clock import utcnow


class AuditEvent(SQLModel, table=True):
    """Append-only, hash-chained: each event carries the hash of the one before."""
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, index=True)
    actor_name: str = Field(default="", max_length=255)
    action: str = Field(index=True, max_length=64)
    target_type: str = Field(default="", max_length=32)
    target_id: str = Field(default="", index=True, max_length=64)
    office_id: int | None = Field(default=None, index=True)
    client_addr: str = Field(default="", max_length=64)
    summary: str = Field(default="", sa_column=Column(Text))
    prev_hash: str = Field(default="", max_length=64)
    hash: str = Field(default="", max_length=64)
