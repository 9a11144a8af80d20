"""The content-addressed file store's rows.
Times are aware UTC (domain.clock.utcnow); dates are local dates."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from domain.clock import utcnow


class StoredFile(SQLModel, table=True):
    """A file in the content-addressed store (DATA_DIR/files/ab/cdef…)."""
    sha256: str = Field(primary_key=True, max_length=64)
    size: int
    mime: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
