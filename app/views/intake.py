"""Dossiers being received (draft, returned) of an office, soonest due first."""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import func, select

from app.db import session_scope
from domain import workflow
from domain.calendar import OfficeCalendar
from domain.clock import utcnow
from domain.models import Dossier, Office
from domain.offices import calendar_for

PAGE_SIZE = 20
OPEN_STATES = (workflow.DRAFT, workflow.RETURNED)


@dataclass
class IntakePage:
    rows: list[Dossier]  # detached rows: read their columns only
    total: int
    page: int
    pages: int
    calendar: OfficeCalendar


def _open(office_id: int):
    return (Dossier.office_id == office_id, Dossier.state.in_(OPEN_STATES))


def intake_counts(office_id: int) -> tuple[int, int]:
    """(dossiers being received, of which overdue)."""
    count = select(func.count()).select_from(Dossier)
    with session_scope() as session:
        total = session.exec(count.where(*_open(office_id))).one()
        overdue = session.exec(count.where(*_open(office_id), Dossier.due_at < utcnow())).one()
    return total, overdue


def intake_page(office_id: int, page: int, page_size: int = PAGE_SIZE) -> IntakePage:
    with session_scope() as session:
        calendar = calendar_for(session, session.get(Office, office_id))
        total = session.exec(select(func.count()).select_from(Dossier).where(*_open(office_id))).one()
        pages = max(1, -(-total // page_size))
        page = min(page, pages)
        rows = session.exec(select(Dossier).where(*_open(office_id)).order_by(Dossier.due_at, Dossier.id)
                            .offset((page - 1) * page_size).limit(page_size)).all()
    return IntakePage(list(rows), total, page, pages, calendar)
