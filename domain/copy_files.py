"""The files of an issued copy: which one is newest, which need a new document time-stamp, and the
use case that records a renewed file (one transaction, audited, safe to repeat or to race)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from domain import audit
from domain.models import CopyFile, RegisterEntry


class StaleRenewal(Exception):
    """Another run already renewed this copy since its newest file was read."""


def newest(session: Session, entry_id: int) -> CopyFile | None:
    return session.exec(select(CopyFile).where(CopyFile.entry_id == entry_id)
                        .order_by(CopyFile.seq.desc()).limit(1)).first()


def due_for_renewal(session: Session, before: datetime, limit: int = 500) -> list[CopyFile]:
    """Newest files whose last time-stamp's certificate ends before ``before`` (oldest first)."""
    latest = (select(CopyFile.entry_id, func.max(CopyFile.seq).label("seq"))
              .group_by(CopyFile.entry_id).subquery())
    query = (
        select(CopyFile)
        .join(latest, (CopyFile.entry_id == latest.c.entry_id) & (CopyFile.seq == latest.c.seq))
        .where(CopyFile.ts_expires_at.is_not(None), CopyFile.ts_expires_at < before)
        .order_by(CopyFile.ts_expires_at, CopyFile.entry_id)
        .limit(limit)
    )
    return list(session.exec(query))


def record_renewal(session: Session, entry_id: int, after_seq: int, file_sha256: str,
                   ts_expires_at: datetime | None, at: datetime) -> CopyFile:
    """Add the renewed file after ``after_seq``; refuses if another run got there first."""
    current = newest(session, entry_id)
    if current is None or current.seq != after_seq:
        raise StaleRenewal(entry_id)
    entry = session.get(RegisterEntry, entry_id)
    row = CopyFile(entry_id=entry_id, seq=after_seq + 1, file_sha256=file_sha256, ts_expires_at=ts_expires_at,
                   created_at=at)
    session.add(row)
    audit.record(
        session,
        audit.SYSTEM,
        "renew_timestamp",
        target_type="register_entry",
        target_id=entry_id,
        office_id=entry.office_id if entry else None,
        summary=f"Gia hạn dấu thời gian lưu trữ bản sao số {entry.number_text if entry else entry_id} "
        f"(tệp thứ {after_seq + 2})",
    )
    session.flush()
    return row
