"""An office's calendar and texts, read from its settings."""
from __future__ import annotations

from datetime import time

from sqlmodel import Session, select

from domain.calendar import OfficeCalendar
from domain.models import Office, OfficeDay, Unit


def _periods(raw: list) -> tuple[tuple[time, time], ...]:
    return tuple((time.fromisoformat(a), time.fromisoformat(b)) for a, b in raw)


def calendar_for(session: Session, office: Office) -> OfficeCalendar:
    days = session.exec(select(OfficeDay).where(OfficeDay.office_id == office.id)).all()
    return OfficeCalendar(
        office_hours=_periods(office.office_hours),
        saturday_reception=office.saturday_reception,
        saturday_hours=_periods(office.saturday_hours),
        extra_days_off=frozenset(d.day for d in days if d.kind == "off"),
        makeup_working_days=frozenset(d.day for d in days if d.kind == "work"),
    )


def book_label(office: Office, book: int, year: int) -> str:
    return office.book_label_template.format(book=book, year=year)


def number_text(office: Office, number: int) -> str:
    return office.number_format.format(n=number)


def office_id_of_unit(session: Session, unit_id: int | None) -> int | None:
    """The office a unit belongs to (the unit itself or its nearest ancestor that is an office)."""
    seen: set[int] = set()
    while unit_id is not None and unit_id not in seen:
        seen.add(unit_id)
        office = session.exec(select(Office).where(Office.unit_id == unit_id)).first()
        if office is not None:
            return office.id
        unit = session.get(Unit, unit_id)
        unit_id = unit.parent_id if unit is not None else None
    return None
