"""Slots of a day from the office hours, in the in-memory unit of work (tests.fakes)."""
from datetime import date, datetime

import pytest

from domain import appointments as appts
from domain.calendar import LOCAL_TZ
from domain.models import Office
from tests.fakes import memory_unit_of_work
from tests.unit import rows


@pytest.fixture
def uow():
    with memory_unit_of_work() as uow:
        yield uow


MONDAY = date(2026, 3, 2)
EARLY = datetime(2026, 3, 2, 7, 0, tzinfo=LOCAL_TZ)


def test_slots_follow_office_hours_and_slot_length(uow):
    office = Office(id=1, unit_id=1, name="X", slot_minutes=60, slot_capacity=3)
    slots = appts.available_slots(uow, office, MONDAY, now=EARLY)
    assert [s.start for s in slots] == [
        "08:00",
        "09:00",
        "10:00",
        "11:00",
        "13:00",
        "14:00",
        "15:00",
        "16:00",
    ]
    assert all(s.free == 3 for s in slots)


def test_capacity_minus_booked(uow):
    office = rows.office(uow, slot_minutes=30, slot_capacity=2)
    for n, slot in enumerate(("08:30", "08:30", "09:00")):  # booked through the use case
        appts.book(uow, rows.citizen(uow, f"00109900000{n}"), office.id, MONDAY, slot, now=EARLY)
    slots = {s.start: s.free for s in appts.available_slots(uow, office, MONDAY, now=EARLY)}
    assert slots["08:00"] == 2 and slots["08:30"] == 0 and slots["09:00"] == 1
    assert "16:30" in slots and "17:00" not in slots


def test_past_days_and_past_hours_have_no_slots(uow):
    office = Office(id=1, unit_id=1, name="X")
    assert appts.available_slots(uow, office, date(2026, 3, 1), now=EARLY) == []
    noon = datetime(2026, 3, 2, 14, 10, tzinfo=LOCAL_TZ)
    starts = [s.start for s in appts.available_slots(uow, office, MONDAY, now=noon)]
    assert starts[0] == "14:30"


def test_weekend_and_holiday_have_no_slots(uow):
    office = Office(id=1, unit_id=1, name="X")
    assert appts.available_slots(uow, office, date(2026, 3, 7), now=EARLY) == []  # Saturday
    assert appts.available_slots(uow, office, date(2026, 9, 2), now=EARLY) == []  # National Day


def test_saturday_reception_uses_saturday_hours(uow):
    office = Office(id=1, unit_id=1, name="X", saturday_reception=True, slot_minutes=60)
    starts = [s.start for s in appts.available_slots(uow, office, date(2026, 3, 7), now=EARLY)]
    assert starts == ["08:00", "09:00", "10:00", "11:00"]
