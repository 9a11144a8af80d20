"""Step 1 (SPEC C9–C10): the citizen's appointments (/my/appointments) and the office's day list
(/office/appointments) from which the official opens a dossier with the citizen's data."""
from __future__ import annotations

from datetime import date

from fastapi import Request
from nicegui import ui

from app.views import appointments as views
from app.web.actions import run_action
from app.web.auth import client_addr
from components.dashboard import CITIZEN_WIDGETS, add_widget
from components.dossier_common import notify_error
from components.frame import frame, official_page
from domain import appointments as appts
from domain.access import CurrentUser
from domain.calendar import to_local
from domain.clock import utcnow
from domain.dates import parse_day_or_none
from domain.dossiers import WorkflowError, open_dossier, requester_from_account
from domain.models import Appointment, Office
from domain.rights import Right


def add_routes() -> None:
    add_widget(CITIZEN_WIDGETS, citizen_widget)


def _today() -> date:
    return to_local(utcnow()).date()


def _slot_options(office_id: int | None, day: date | None, ignore_id: int | None = None) -> dict[str, str]:
    if not office_id or not day:
        return {}
    slots = views.available_slots(office_id, day, ignore_id)
    return {s.start: f"{s.start} (còn {s.free} chỗ)" if s.free else f"{s.start} (đã kín)"
            for s in slots}


def _slot_picker(office_id_of, ignore_id: int | None = None, initial_day: date | None = None):
    """A date input and a slot select that follows it. Returns (day_input, slot_select, refresh)."""
    day_input = ui.input("Ngày hẹn", value=(initial_day or _today()).isoformat()) \
        .props("type=date data-testid=appt-day").classes("w-full").mark("appt-day")
    slot_select = (
        ui.select({}, label="Khung giờ").classes("w-full").props("data-testid=appt-slot").mark("appt-slot")
    )
    hint = ui.label().classes("text-sm text-orange-800").mark("appt-hint")

    def refresh() -> None:
        day = parse_day_or_none(day_input.value)
        options = _slot_options(office_id_of(), day, ignore_id)
        slot_select.set_options(options, value=next(iter(options), None))
        if day is None:
            hint.set_text("Vui lòng chọn ngày.")
        elif not options:
            hint.set_text(
                "Ngày này không có khung giờ nhận hồ sơ (ngày nghỉ, ngày đã qua hoặc đã hết giờ làm việc)."
            )
        else:
            hint.set_text("")

    day_input.on_value_change(lambda: refresh())
    return day_input, slot_select, refresh


# --- citizen --------------------------------------------------------------------------------

@official_page("/my/appointments", citizen=True)
def my_appointments_page(user, request: Request) -> None:
    addr = client_addr(request)
    offices = views.office_names()
    with frame("Lịch hẹn chứng thực", user):
        with ui.card().classes("w-full"):
            ui.label("Đặt lịch hẹn mới").classes("font-bold")
            ui.label("Chọn cơ quan chứng thực, ngày và khung giờ; mang theo bản chính khi đến.") \
                .classes("text-sm text-gray-700")
            office_select = ui.select(offices, value=next(iter(offices), None), label="Cơ quan chứng thực") \
                .classes("w-full").props("data-testid=appt-office").mark("appt-office")
            day_input, slot_select, refresh = _slot_picker(lambda: office_select.value)
            office_select.on_value_change(lambda: refresh())
            documents = ui.number("Số giấy tờ cần chứng thực", value=1, min=1, max=appts.MAX_DOCUMENTS,
                                  precision=0).classes("w-full").props("data-testid=appt-documents") \
                .mark("appt-documents")
            note = ui.input("Ghi chú (không bắt buộc)").classes("w-full").props("data-testid=appt-note") \
                .mark("appt-note")
            ui.button("Đặt lịch", icon="event_available", on_click=lambda: do_book()) \
                .props("data-testid=appt-book").mark("appt-book")
            refresh()
        listing = ui.column().classes("w-full gap-2")

    async def do_book() -> None:
        day = parse_day_or_none(day_input.value)
        if not slot_select.value or day is None:
            notify_error("Vui lòng chọn ngày và khung giờ.")
            return
        ok, result = await run_action(appts.book, office_select.value, day, slot_select.value,
                                      int(documents.value or 1), note.value or "", addr, citizen=True)
        if not ok:
            return
        ui.notify(f"Đã đặt lịch hẹn {result.slot} ngày {result.day:%d/%m/%Y}.", type="positive")
        note.set_value("")
        refresh()
        show_list()

    def show_list() -> None:
        rows = views.appointments_of(user.account_id)
        listing.clear()
        with listing:
            ui.label("Lịch hẹn của tôi").classes("text-lg font-bold")
            if not rows:
                ui.label("Bạn chưa có lịch hẹn nào.").mark("appt-none")
            for appointment, office in rows:
                _my_row(user, appointment, office, addr, show_list)

    show_list()


def _my_row(user: CurrentUser, appointment, office: Office, addr: str, reload) -> None:
    with ui.card().classes("w-full").props(f"data-testid=appt-{appointment.id}"):
        with ui.row().classes("w-full items-center justify-between gap-2"):
            with ui.column().classes("gap-0"):
                ui.label(f"{appointment.slot} ngày {appointment.day:%d/%m/%Y}").classes("font-bold")
                ui.label(office.name).classes("text-sm")
                ui.label(
                    f"{appointment.documents} giấy tờ"
                    + (f" — {appointment.note}" if appointment.note else "")
                ).classes("text-sm text-gray-700")
            ui.badge(appts.STATUS_LABELS[appointment.status],
                     color={"booked": "primary", "done": "positive"}.get(appointment.status, "grey"))
        if appointment.status == appts.BOOKED and appointment.day >= _today():
            with ui.row().classes("gap-2"):
                ui.button(
                    "Dời lịch",
                    icon="edit_calendar",
                    on_click=lambda: _move_dialog(user, appointment, addr, reload),
                ).props(f"outline data-testid=appt-move-{appointment.id}").mark(f"appt-move-{appointment.id}")
                ui.button(
                    "Hủy lịch",
                    icon="event_busy",
                    on_click=lambda: _cancel(user, appointment.id, addr, reload),
                ).props(f"outline color=negative data-testid=appt-cancel-{appointment.id}").mark(
                    f"appt-cancel-{appointment.id}"
                )


async def _cancel(user: CurrentUser, appointment_id: int, addr: str, reload) -> None:
    if not (await run_action(appts.cancel, appointment_id, addr, citizen=True)).ok:
        return
    ui.notify("Đã hủy lịch hẹn.", type="positive")
    reload()


def _move_dialog(user: CurrentUser, appointment, addr: str, reload) -> None:
    with ui.dialog() as dialog, ui.card().classes("w-full max-w-md"):
        ui.label("Dời lịch hẹn").classes("font-bold")
        day_input, slot_select, refresh = _slot_picker(
            lambda: appointment.office_id,
            ignore_id=appointment.id,
            initial_day=max(appointment.day, _today()),
        )
        refresh()

        async def save() -> None:
            day = parse_day_or_none(day_input.value)
            if not slot_select.value or day is None:
                notify_error("Vui lòng chọn ngày và khung giờ.")
                return
            if not (
                await run_action(appts.move, appointment.id, day, slot_select.value, addr=addr, citizen=True)
            ).ok:
                return
            ui.notify("Đã dời lịch hẹn.", type="positive")
            dialog.close()
            reload()

        with ui.row():
            ui.button("Lưu", on_click=save).props("data-testid=appt-move-save").mark("appt-move-save")
            ui.button("Đóng", on_click=dialog.close).props("flat")
    dialog.open()


def citizen_widget(user: CurrentUser) -> None:
    rows = [(a, o) for a, o in views.appointments_of(user.account_id)
            if a.status == appts.BOOKED and a.day >= _today()]
    with ui.card().classes("w-full").props("data-testid=widget-appointments"):
        ui.label("Lịch hẹn sắp tới").classes("font-bold")
        if not rows:
            ui.label("Chưa có lịch hẹn. Đặt lịch trước để không phải chờ lâu khi đến chứng thực.")
        for appointment, office in sorted(rows, key=lambda r: (r[0].day, r[0].slot))[:3]:
            ui.label(f"{appointment.slot} ngày {appointment.day:%d/%m/%Y} — {office.name}")
        ui.button("Đặt / xem lịch hẹn", icon="event", on_click=lambda: ui.navigate.to("/my/appointments")) \
            .props("outline")


# --- office -----------------------------------------------------------------------------------

@official_page("/office/appointments", right=Right.CREATE_COPY)
def office_appointments_page(user, request: Request) -> None:
    addr = client_addr(request)
    with frame("Lịch hẹn của cơ quan", user):
        day_input = ui.input("Ngày", value=_today().isoformat()).props("type=date data-testid=office-day") \
            .classes("w-60").mark("office-day")
        listing = ui.column().classes("w-full gap-2")

    def show() -> None:
        day = parse_day_or_none(day_input.value) or _today()
        rows = views.day_list(user.office_id, day)
        listing.clear()
        with listing:
            ui.label(f"{len(rows)} lịch hẹn ngày {day:%d/%m/%Y}").classes("font-bold")
            for appointment, citizen in rows:
                with ui.card().classes("w-full").props(f"data-testid=office-appt-{appointment.id}"):
                    with ui.row().classes("w-full items-center justify-between gap-2"):
                        with ui.column().classes("gap-0"):
                            ui.label(f"{appointment.slot} — {citizen.full_name}").classes("font-bold")
                            ui.label(
                                f"Số định danh: {citizen.id_number or '—'} · "
                                f"Điện thoại: {citizen.phone or '—'}"
                            ).classes("text-sm")
                            ui.label(
                                f"{appointment.documents} giấy tờ"
                                + (f" — {appointment.note}" if appointment.note else "")
                            ).classes("text-sm")
                        if appointment.status == appts.BOOKED:
                            ui.button("Tiếp nhận", icon="assignment_turned_in",
                                      on_click=lambda a=appointment: receive(a)) \
                                .props(f"data-testid=receive-{appointment.id}").mark(f"receive-{appointment.id}")
                        else:
                            ui.badge(appts.STATUS_LABELS[appointment.status], color="positive")

    async def receive(appointment) -> None:
        ok, dossier = await run_action(_receive, appointment.id, addr, right=Right.CREATE_COPY,
                                       record=("appointment", appointment.id))
        if not ok:
            show()
            return
        ui.navigate.to(f"/dossier/{dossier.id}")

    day_input.on_value_change(lambda: show())
    show()


def _receive(session, user: CurrentUser, appointment_id: int, addr: str):
    """Open the dossier of a booked appointment with the citizen's account data."""
    appointment = session.get(Appointment, appointment_id)
    if appointment is None:
        raise WorkflowError("Không tìm thấy lịch hẹn.")
    requester = requester_from_account(session, appointment.citizen_id)
    return open_dossier(session, user, requester, addr=addr, appointment_id=appointment_id)
