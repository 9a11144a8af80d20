"""Appointments: free slots of a day, the offices a citizen may book, a citizen's own list, and an
office's day list. Rows come back detached from their session (read their columns only)."""
from __future__ import annotations

from datetime import date

from app.db import session_scope
from domain import appointments as appts
from domain.models import Account, Appointment, Office


def available_slots(office_id: int, day: date, ignore_id: int | None = None) -> list[appts.Slot]:
    with session_scope() as session:
        office = session.get(Office, office_id)
        return appts.available_slots(session, office, day, ignore_id=ignore_id) if office else []


def office_names() -> dict[int, str]:
    with session_scope() as session:
        return {o.id: o.name for o in appts.offices(session)}


def appointments_of(citizen_id: int) -> list[tuple[Appointment, Office]]:
    with session_scope() as session:
        return appts.appointments_of(session, citizen_id)


def day_list(office_id: int, day: date) -> list[tuple[Appointment, Account]]:
    with session_scope() as session:
        return appts.day_list(session, office_id, day)
