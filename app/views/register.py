"""The register's screens: a month's rows as PDF or Excel, the years and their closing, one entry."""
from __future__ import annotations

from sqlmodel import Session, select

from app.db import session_scope
from app.register_print import monthly_pdf, monthly_xlsx
from domain import register as reg
from domain.access import CurrentUser
from domain.models import Office, RegisterCounter
from domain.unit_of_work import Units


def monthly_export(units: Units, user: CurrentUser, year: int, month: int, kind: str) -> bytes:
    """The month's register of the user's office, as "pdf" or "xlsx" (app.web.actions.run_steps: no session
    held while the file is drawn)."""
    with units.read() as session:
        office = session.get(Office, user.office_id)
        rows = reg.month_rows(session, user, year, month)
    return (monthly_pdf if kind == "pdf" else monthly_xlsx)(office, year, month, rows)


def year_status(user: CurrentUser) -> list[RegisterCounter]:
    with session_scope() as session:
        return reg.year_status(session, user)


def closed_year(session: Session, user: CurrentUser, year: int) -> RegisterCounter | None:
    """The office's counter of `year` (for app.web.actions.read_now: the closing record is personal data)."""
    return session.exec(select(RegisterCounter).where(
        RegisterCounter.office_id == user.office_id, RegisterCounter.year == year)).first()


def entry_detail(user: CurrentUser, entry_id: int) -> reg.EntryDetail | None:
    with session_scope() as session:
        return reg.entry_detail(session, user, entry_id)
