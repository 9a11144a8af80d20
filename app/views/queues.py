"""Work queues of steps 3–4: the office's dossiers in a state, soonest due first, with deadline badges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from app.db import session_scope
from domain.access import CurrentUser
from domain.calendar import OfficeCalendar
from domain.clock import Clock, to_local, utcnow
from domain.deadlines import BADGE_DUE_SOON, BADGE_ON_TIME, BADGE_OVERDUE, due_badge
from domain.models import Dossier, Office, Original
from domain.offices import calendar_for

PAGE_SIZE = 20
PREVIEW_WIDTH = 420


@dataclass
class QueueRow:
    id: int
    code: str
    requester_name: str
    originals: int
    pages: int
    received_at: datetime
    due_at: datetime  # the current step's deadline (or the result's)
    result_due_at: datetime
    badge: str
    return_comment: str | None = None


@dataclass
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    pages: int
    calendar: OfficeCalendar


def _due_of(dossier: Dossier) -> datetime:
    return dossier.step_due_at or dossier.due_at


def badge_for(
    due: datetime, calendar: OfficeCalendar, now: datetime | None = None, clock: Clock | None = None
) -> str:
    # Stored datetimes may come back naive (SQLite): they are UTC, not local wall time.
    return due_badge(to_local(due), to_local(now or utcnow(clock)), calendar)


def office_calendar(session: Session, office_id: int | None) -> OfficeCalendar:
    office = session.get(Office, office_id) if office_id else None
    return calendar_for(session, office) if office else OfficeCalendar()


def queue_page(user: CurrentUser, state: str, page: int = 1, page_size: int = PAGE_SIZE,
               clock: Clock | None = None) -> QueuePage:
    """Dossiers of the user's office in `state`, soonest due first, one page of them."""
    with session_scope() as session:
        cal = office_calendar(session, user.office_id)
        where = (Dossier.office_id == user.office_id, Dossier.state == state)
        total = session.exec(select(func.count()).select_from(Dossier).where(*where)).one()
        pages = max(1, -(-total // page_size))
        page = min(max(1, page), pages)
        due = func.coalesce(Dossier.step_due_at, Dossier.due_at)
        dossiers = session.exec(
            select(Dossier)
            .where(*where)
            .order_by(due, Dossier.id)
            .offset((page - 1) * page_size)
            .limit(page_size)
        ).all()
        counts = _original_counts(session, [d.id for d in dossiers])
        now = utcnow(clock)
        rows = [
            QueueRow(
                d.id,
                d.code,
                d.requester_name,
                *counts.get(d.id, (0, 0)),
                d.received_at,
                _due_of(d),
                d.due_at,
                badge_for(_due_of(d), cal, now),
                d.return_comment,
            )
            for d in dossiers
        ]
        return QueuePage(rows, total, page, pages, cal)


def _original_counts(session: Session, dossier_ids: list[int]) -> dict[int, tuple[int, int]]:
    if not dossier_ids:
        return {}
    rows = session.exec(
        select(Original.dossier_id, func.count(), func.sum(Original.pages))
        .where(Original.dossier_id.in_(dossier_ids))
        .group_by(Original.dossier_id)
    ).all()
    return {dossier_id: (count, int(pages or 0)) for dossier_id, count, pages in rows}


def queue_counts(user: CurrentUser, state: str, clock: Clock | None = None) -> dict[str, int]:
    """How many dossiers wait in `state` for the user's office, by deadline badge."""
    counts = {BADGE_ON_TIME: 0, BADGE_DUE_SOON: 0, BADGE_OVERDUE: 0}
    with session_scope() as session:
        cal = office_calendar(session, user.office_id)
        dues = session.exec(
            select(Dossier.step_due_at, Dossier.due_at).where(
                Dossier.office_id == user.office_id, Dossier.state == state
            )
        ).all()
    now = utcnow(clock)
    for step_due_at, due_at in dues:
        counts[badge_for(step_due_at or due_at, cal, now)] += 1
    return counts
