"""Each office numbers its own register from 1 each year, and a new entry chains to its office's latest one
(domain.register.numbering), on the real database: a second office's first seal of the year must get its
own counter even when the first office already has one."""
from __future__ import annotations

from sqlmodel import select

from app.db import session_scope, write_scope
from domain.models import Office, RegisterCounter, Unit
from domain.register.numbering import last_hash
from domain.register.reservation import counter_for_update
from tests.support.register import Spec, add_entries, demo_office_id


def _second_office() -> int:
    with write_scope() as s:
        unit = Unit(code="XA-B", name="UBND xã B", kind="office")
        s.add(unit)
        s.flush()
        office = Office(unit_id=unit.id, name="UBND xã B")
        s.add(office)
        s.commit()
        return office.id


def test_each_office_gets_its_own_counter_for_the_year(demo_db):
    first, second = demo_office_id(), _second_office()
    with write_scope() as s:
        counter = counter_for_update(s, first, 2026)
        counter.last_number = 41
        s.commit()
    with write_scope() as s:
        counter = counter_for_update(s, second, 2026)
        assert (counter.office_id, counter.year, counter.last_number) == (second, 2026, 0)
        s.commit()
    with write_scope() as s:
        again = counter_for_update(s, first, 2026)
        assert (again.office_id, again.last_number) == (first, 41)
        assert counter_for_update(s, first, 2027).last_number == 0
    with session_scope() as s:
        rows = s.exec(select(RegisterCounter.office_id, RegisterCounter.year)).all()
    assert sorted(rows) == sorted([(first, 2026), (second, 2026), (first, 2027)])


def test_a_new_entry_chains_to_its_own_offices_latest_entry(demo_db):
    first, second = demo_office_id(), _second_office()
    with session_scope() as s:
        assert last_hash(s, first) == ""
    mine = add_entries([Spec("Người 1"), Spec("Người 2")], office_id=first)
    add_entries([Spec("Người ở xã B")], office_id=second)
    with session_scope() as s:
        assert last_hash(s, first) == mine[-1].hash != mine[0].hash
