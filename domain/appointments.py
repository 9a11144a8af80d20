"""Step 1 (SPEC C9): a citizen books an appointment at an office; the office sees the day's list.

Slots come from the office hours of the day (the office calendar: working days only, Saturday
hours when the office receives on Saturdays), `slot_minutes` long, each taking up to
`slot_capacity` booked appointments.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, func, select

from domain import audit
from domain.access import CurrentUser
from domain.calendar import to_local
from domain.clock import utcnow
from domain.dossiers import WorkflowError
from domain.models import Account, Appointment, Office
from domain.offices import calendar_for

BOOKED, CANCELLED, DONE = "booked", "cancelled", "done"
STATUS_LABELS = {BOOKED: "Đã đặt", CANCELLED: "Đã hủy", DONE: "Đã tiếp nhận"}
MAX_DOCUMENTS = 50
MAX_DAYS_AHEAD = 60


class AppointmentError(WorkflowError):
    """A booking the rules do not allow; `message` is Vietnamese."""


@dataclass(frozen=True)
class Slot:
    start: str  # "08:30"
    free: int


def available_slots(session: Session, office: Office, day: date, now: datetime | None = None,
                    ignore_id: int | None = None) -> list[Slot]:
    """Slots of `day` still starting in the future, with their free places (0 = full)."""
    now_local = to_local(now or utcnow())
    if day < now_local.date() or day > now_local.date() + timedelta(days=MAX_DAYS_AHEAD):
        return []
    calendar = calendar_for(session, office)
    step = timedelta(minutes=max(5, office.slot_minutes or 30))
    starts = []
    for begin, end in calendar.periods_on(day):
        cursor = begin
        while cursor + step <= end:
            if cursor > now_local:
                starts.append(cursor.strftime("%H:%M"))
            cursor += step
    if not starts:
        return []
    query = (
        select(Appointment.slot, func.count())
        .where(Appointment.office_id == office.id, Appointment.day == day, Appointment.status == BOOKED)
        .group_by(Appointment.slot)
    )
    if ignore_id is not None:
        query = query.where(Appointment.id != ignore_id)
    booked = dict(session.exec(query).all())
    capacity = max(1, office.slot_capacity or 1)
    return [Slot(s, max(0, capacity - booked.get(s, 0))) for s in starts]


def book(session: Session, user: CurrentUser, office_id: int, day: date, slot: str, documents: int = 1,
         note: str = "", addr: str = "", now: datetime | None = None) -> Appointment:
    """A citizen books a slot at an office."""
    _require_citizen(user)
    office = _locked_office(session, office_id)
    documents, note = _check_details(documents, note)
    _check_slot(session, office, day, slot, now)
    if session.exec(
        select(Appointment.id).where(
            Appointment.citizen_id == user.account_id,
            Appointment.office_id == office.id,
            Appointment.day == day,
            Appointment.slot == slot,
            Appointment.status == BOOKED,
        )
    ).first():
        raise AppointmentError("Bạn đã đặt lịch vào khung giờ này.")
    appointment = Appointment(citizen_id=user.account_id, office_id=office.id, day=day, slot=slot,
                              documents=documents, note=note)
    session.add(appointment)
    session.flush()
    audit.record(session, audit.actor_of(user, addr), "book_appointment", target_type="appointment",
                 target_id=appointment.id, office_id=office.id,
                 summary=f"Đặt lịch hẹn {slot} ngày {day:%d/%m/%Y} tại {office.name}")
    session.flush()
    return appointment


def move(session: Session, user: CurrentUser, appointment_id: int, day: date, slot: str,
         documents: int | None = None, note: str | None = None, addr: str = "",
         now: datetime | None = None) -> Appointment:
    """The citizen moves their own booked appointment to another slot."""
    appointment = _own_booked(session, user, appointment_id)
    office = _locked_office(session, appointment.office_id)
    _check_slot(session, office, day, slot, now, ignore_id=appointment.id)
    if documents is not None or note is not None:
        appointment.documents, appointment.note = _check_details(
            documents if documents is not None else appointment.documents,
            note if note is not None else appointment.note)
    before = f"{appointment.slot} {appointment.day:%d/%m/%Y}"
    appointment.day, appointment.slot = day, slot
    audit.record(session, audit.actor_of(user, addr), "move_appointment", target_type="appointment",
                 target_id=appointment.id, office_id=office.id,
                 summary=f"Dời lịch hẹn từ {before} sang {slot} {day:%d/%m/%Y}")
    session.flush()
    return appointment


def cancel(session: Session, user: CurrentUser, appointment_id: int, addr: str = "") -> Appointment:
    """The citizen cancels their own booked appointment."""
    appointment = _own_booked(session, user, appointment_id)
    appointment.status = CANCELLED
    audit.record(session, audit.actor_of(user, addr), "cancel_appointment", target_type="appointment",
                 target_id=appointment.id, office_id=appointment.office_id,
                 summary=f"Hủy lịch hẹn {appointment.slot} ngày {appointment.day:%d/%m/%Y}")
    session.flush()
    return appointment


def day_list(session: Session, office_id: int, day: date) -> list[tuple[Appointment, Account]]:
    """The office's appointments of a day (booked and done), by slot, with the citizen's account."""
    rows = session.exec(select(Appointment, Account).join(Account, Account.id == Appointment.citizen_id)
                        .where(Appointment.office_id == office_id, Appointment.day == day,
                               Appointment.status != CANCELLED)
                        .order_by(Appointment.slot, Appointment.id)).all()
    return [(a, c) for a, c in rows]


def appointments_of(session: Session, citizen_id: int) -> list[tuple[Appointment, Office]]:
    """A citizen's appointments, newest day first."""
    rows = session.exec(select(Appointment, Office).join(Office, Office.id == Appointment.office_id)
                        .where(Appointment.citizen_id == citizen_id)
                        .order_by(Appointment.day.desc(), Appointment.slot.desc())).all()
    return [(a, o) for a, o in rows]


def offices(session: Session) -> list[Office]:
    return list(session.exec(select(Office).order_by(Office.name)))


# --- helpers ------------------------------------------------------------------------------


def _require_citizen(user: CurrentUser) -> None:
    if not user.is_citizen:
        raise AppointmentError("Chỉ công dân đặt lịch hẹn bằng tài khoản của mình.")


def _locked_office(session: Session, office_id: int) -> Office:
    # FOR UPDATE serialises bookings of one office on PostgreSQL (SQLite already has one writer).
    office = session.exec(select(Office).where(Office.id == office_id).with_for_update()).first()
    if office is None:
        raise AppointmentError("Không tìm thấy cơ quan.")
    return office


def _own_booked(session: Session, user: CurrentUser, appointment_id: int) -> Appointment:
    _require_citizen(user)
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.citizen_id != user.account_id:
        raise AppointmentError("Không tìm thấy lịch hẹn của bạn.")
    if appointment.status != BOOKED:
        raise AppointmentError(
            f"Lịch hẹn đã ở trạng thái «{STATUS_LABELS[appointment.status]}», không thay đổi được."
        )
    return appointment


def _check_details(documents, note) -> tuple[int, str]:
    if isinstance(documents, bool) or not isinstance(documents, int) or not 1 <= documents <= MAX_DOCUMENTS:
        raise AppointmentError(f"Số giấy tờ mang đến phải từ 1 đến {MAX_DOCUMENTS}.")
    note = (note or "").strip()
    if len(note) > 500:
        raise AppointmentError("Ghi chú dài quá 500 ký tự.")
    return documents, note


def _check_slot(session: Session, office: Office, day: date, slot: str, now: datetime | None,
                ignore_id: int | None = None) -> None:
    now_local = to_local(now or utcnow())
    if day < now_local.date():
        raise AppointmentError("Không đặt lịch vào ngày đã qua.")
    if not calendar_for(session, office).is_working_day(day):
        raise AppointmentError(f"Ngày {day:%d/%m/%Y} không phải ngày làm việc của cơ quan.")
    slots = {s.start: s for s in available_slots(session, office, day, now, ignore_id=ignore_id)}
    if slot not in slots:
        raise AppointmentError("Khung giờ không hợp lệ hoặc đã qua. Vui lòng chọn khung giờ khác.")
    if slots[slot].free <= 0:
        raise AppointmentError("Khung giờ này đã kín chỗ. Vui lòng chọn khung giờ khác.")
