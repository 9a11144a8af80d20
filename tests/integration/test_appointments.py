"""Booking, moving and cancelling appointments against the database (SQLite and PostgreSQL)."""
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from app.db import session_scope, write_scope
from domain import appointments as appts
from domain.access import CurrentUser
from domain.appointments import AppointmentError
from domain.calendar import LOCAL_TZ
from domain.models import Account, AuditEvent, Office
from domain.text import fold
from tests.support.workflow import user_named

MONDAY = date(2030, 3, 4)
NOW = datetime(2030, 3, 1, 9, 0, tzinfo=LOCAL_TZ)  # the Friday before


def _office_id() -> int:
    with session_scope() as session:
        return session.exec(select(Office.id)).first()


def _other_citizen() -> CurrentUser:
    with write_scope() as session:
        account = Account(kind="citizen", username="079200000001", full_name="Trần Thị Bình",
                          name_folded=fold("Trần Thị Bình"), id_number="079200000001", phone="0988000001")
        session.add(account)
        session.commit()
        return CurrentUser(account.id, account.username, account.full_name, "citizen")


def test_booking_uses_capacity_and_lists_the_day(db_url):
    office_id = _office_id()
    with write_scope() as session:
        session.get(Office, office_id).slot_capacity = 1
        session.commit()
    citizen, other = user_named("001099012345"), _other_citizen()
    with write_scope() as session:
        appts.book(session, citizen, office_id, MONDAY, "08:30", 2, "Giấy khai sinh", now=NOW)
    with write_scope() as session, pytest.raises(AppointmentError, match="kín chỗ"):
        appts.book(session, other, office_id, MONDAY, "08:30", now=NOW)
    with session_scope() as session:
        slots = {
            s.start: s.free
            for s in appts.available_slots(session, session.get(Office, office_id), MONDAY, now=NOW)
        }
        assert slots["08:30"] == 0 and slots["09:00"] == 1
        rows = appts.day_list(session, office_id, MONDAY)
        assert [(a.slot, c.full_name) for a, c in rows] == [("08:30", "Nguyễn Văn An")]
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "book_appointment")).first()


def test_past_days_and_days_off_are_refused(db_url):
    office_id = _office_id()
    citizen = user_named("001099012345")
    with write_scope() as session, pytest.raises(AppointmentError, match="đã qua"):
        appts.book(session, citizen, office_id, NOW.date() - timedelta(days=1), "08:00", now=NOW)
    with write_scope() as session, pytest.raises(AppointmentError, match="không phải ngày làm việc"):
        appts.book(session, citizen, office_id, date(2030, 3, 2), "08:00", now=NOW)  # Saturday
    with write_scope() as session, pytest.raises(AppointmentError, match="Khung giờ không hợp lệ"):
        appts.book(session, citizen, office_id, MONDAY, "12:30", now=NOW)  # lunch break


def test_officials_cannot_book(db_url):
    with write_scope() as session, pytest.raises(AppointmentError, match="Chỉ công dân"):
        appts.book(session, user_named("chungthuc"), _office_id(), MONDAY, "08:00", now=NOW)


def test_only_the_owner_moves_or_cancels(db_url):
    office_id = _office_id()
    citizen, other = user_named("001099012345"), _other_citizen()
    with write_scope() as session:
        appointment = appts.book(session, citizen, office_id, MONDAY, "08:00", now=NOW)
    with write_scope() as session, pytest.raises(AppointmentError, match="Không tìm thấy"):
        appts.move(session, other, appointment.id, MONDAY, "09:00", now=NOW)
    with write_scope() as session, pytest.raises(AppointmentError, match="Không tìm thấy"):
        appts.cancel(session, other, appointment.id)
    with write_scope() as session:
        moved = appts.move(session, citizen, appointment.id, MONDAY + timedelta(days=1), "10:00", now=NOW)
        assert (moved.day, moved.slot) == (MONDAY + timedelta(days=1), "10:00")
    with write_scope() as session:
        assert appts.cancel(session, citizen, appointment.id).status == appts.CANCELLED
    with write_scope() as session, pytest.raises(AppointmentError, match="Đã hủy"):
        appts.move(session, citizen, appointment.id, MONDAY, "09:00", now=NOW)
    with session_scope() as session:
        actions = [
            e.action for e in session.exec(select(AuditEvent).where(AuditEvent.target_type == "appointment"))
        ]
        assert actions == ["book_appointment", "move_appointment", "cancel_appointment"]
