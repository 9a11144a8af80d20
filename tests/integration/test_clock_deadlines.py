"""Deadlines and step budgets seen where the officials see them (the queues' badges), with the process
clock set by the test. Every expected value is written out by hand from the office hours (08:00–12:00,
13:00–17:00, Monday–Friday) — never computed with the code's own condition.
Also: the 15:00 cut-off of the result's deadline, and the register's year rollover through the real seal."""
from __future__ import annotations

import io
from datetime import datetime

import pytest
from pypdf import PdfReader
from sqlmodel import select

from app import files
from app.db import UNITS, session_scope, write_scope
from app.register_print import monthly_pdf
from app.signing import certification_service as service
from app.views.queues import queue_counts, queue_page
from domain import dossiers, workflow
from domain import register as reg
from domain.calendar import LOCAL_TZ
from domain.clock import FixedClock, to_local, use_clock
from domain.models import Dossier, Office, RegisterEntry
from tests.support.register import issue_at
from tests.support.workflow import signed_dossier_ready, user_named


def local(y, mo, d, h, mi=0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=LOCAL_TZ)


@pytest.fixture
def clock():
    fixed = FixedClock(local(2030, 3, 4, 9, 0))  # Monday 4 March 2030, 09:00
    use_clock(fixed)
    yield fixed
    use_clock(None)


def badge_in_queue(state: str, dossier_id: int) -> str:
    rows = queue_page(user_named("lanhdao"), state).rows
    return next(r.badge for r in rows if r.id == dossier_id)


def test_leader_step_is_due_two_working_hours_after_submission(db_url, clock):
    dossier_id = signed_dossier_ready(pages=1, email=None)  # submitted at Monday 09:00
    with session_scope() as session:
        assert to_local(session.get(Dossier, dossier_id).step_due_at) == local(2030, 3, 4, 11, 0)
    expected = [((9, 30), "on_time"),   # 1 h 30 of work left
                ((10, 0), "due_soon"),  # exactly one working hour left
                ((10, 15), "due_soon"),
                ((11, 0), "due_soon"),  # the very minute it is due
                ((11, 1), "overdue")]
    for (hour, minute), badge in expected:
        clock.set(local(2030, 3, 4, hour, minute))
        assert badge_in_queue(workflow.SUBMITTED, dossier_id) == badge, (hour, minute)
    assert queue_counts(user_named("lanhdao"), workflow.SUBMITTED) == {
        "on_time": 0,
        "due_soon": 0,
        "overdue": 1,
    }


def test_the_lunch_break_does_not_count_toward_the_leader_step(db_url, clock):
    clock.set(local(2030, 3, 4, 11, 30))
    dossier_id = signed_dossier_ready(pages=1, email=None)
    with session_scope() as session:
        assert to_local(session.get(Dossier, dossier_id).step_due_at) == local(2030, 3, 4, 14, 30)
    for (hour, minute), badge in [((12, 30), "on_time"), ((13, 15), "on_time"), ((13, 30), "due_soon"),
                                  ((14, 31), "overdue")]:
        clock.set(local(2030, 3, 4, hour, minute))
        assert badge_in_queue(workflow.SUBMITTED, dossier_id) == badge, (hour, minute)


def test_seal_step_signed_late_in_the_day_runs_into_the_next_morning(db_url, clock):
    dossier_id = signed_dossier_ready(pages=1, email=None)
    clock.set(local(2030, 3, 8, 16, 30))  # Friday 16:30: half an hour today, 1 h 30 on Monday
    service.sign(UNITS, user_named("lanhdao"), dossier_id)
    with session_scope() as session:
        assert to_local(session.get(Dossier, dossier_id).step_due_at) == local(2030, 3, 11, 9, 30)
    for (d, hour, minute), badge in [
        ((9, 12, 0), "on_time"),
        ((11, 8, 0), "on_time"),
        ((11, 8, 45), "due_soon"),
        ((11, 9, 31), "overdue"),
    ]:
        clock.set(local(2030, 3, d, hour, minute))
        assert badge_in_queue(workflow.SIGNED, dossier_id) == badge, (d, hour, minute)


@pytest.mark.parametrize(("hour", "minute", "due_day"), [(14, 59, 4), (15, 0, 5), (16, 30, 5)])
def test_a_request_received_before_15_00_is_due_the_same_day(db_url, clock, hour, minute, due_day):
    clock.set(local(2030, 3, 4, hour, minute))
    with write_scope() as session:
        dossier = dossiers.open_dossier(
            session, user_named("chungthuc"), dossiers.RequesterData(name="Lê Văn Cường")
        )
    assert to_local(dossier.due_at) == local(2030, 3, due_day, 17, 0)


def test_the_register_starts_again_at_one_in_the_new_year_through_the_real_seal(db_url, clock):
    last_of_2029 = [issue_at(clock, local(2029, 12, 31, h)) for h in (9, 16)]
    # 06:30 on 1 January is still 31 December in UTC: the year and the date are the local ones
    first_of_2030 = [issue_at(clock, local(2030, 1, 1, 6, 30)), issue_at(clock, local(2030, 1, 2, 8))]
    assert [(e.year, e.number) for e in last_of_2029] == [(2029, 1), (2029, 2)]
    assert [(e.year, e.number) for e in first_of_2030] == [(2030, 1), (2030, 2)]
    assert last_of_2029[0].book.endswith("/2029-SCTĐT/BS") and first_of_2030[0].book.endswith(
        "/2030-SCTĐT/BS"
    )
    sealed = service.verify_bytes(files.read_bytes(first_of_2030[0].file_sha256))
    assert sealed.status == "valid", sealed.to_dict()["problems"]
    clerk = user_named("chungthuc")
    with session_scope() as session:
        office = session.get(Office, clerk.office_id)
        december, january = reg.month_rows(session, clerk, 2029, 12), reg.month_rows(session, clerk, 2030, 1)
        assert len(session.exec(select(RegisterEntry)).all()) == 4
    assert [r.number for r in december] == [1, 2] and [r.number for r in january] == [1, 2]
    printed = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(monthly_pdf(office, 2030, 1, january))).pages
    )
    assert "Tháng 01/2030 có 2 việc chứng thực, từ số 1/ĐT đến số 2/ĐT" in printed
    assert "01/01/2030" in printed and "02/01/2030" in printed and "31/12/2029" not in printed
