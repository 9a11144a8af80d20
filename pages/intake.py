"""Step 2, intake (SPEC C10): /intake lists the office's dossiers being received (draft, returned),
soonest due first; /intake/new receives a walk-in requester — typed, read from the ID card, or
filled from the citizen's own account after they sign in on the official's tablet."""
from __future__ import annotations

from fastapi import Request
from nicegui import ui
from sqlmodel import func, select

from app.auth import client_addr
from app.db import session_scope
from app.actions import run_action
from components.dossier_common import notify_error, parse_day
from components.due_badge import due_badge_chip
from components.frame import frame, signed_in_user
from components.id_prefill import IdPrefillForm
from components.lazy import LazyDialog, lazy_expansion
from components.menu import REGISTERED
from domain import workflow
from domain.clock import format_local, utcnow
from domain.dossiers import RequesterData, open_dossier
from domain.idcard import FIELD_LABELS_VI
from domain.intake import citizen_on_tablet
from domain.models import Dossier, Office
from domain.offices import calendar_for
from domain.rights import Right

PAGE_SIZE = 20
OPEN_STATES = (workflow.DRAFT, workflow.RETURNED)


def register() -> None:
    from pages.home import DASHBOARD_WIDGETS

    REGISTERED.add("/intake")
    ui.page("/intake")(intake_list_page)
    ui.page("/intake/new")(intake_new_page)
    if intake_widget not in DASHBOARD_WIDGETS:  # register() runs again when tests rebuild the app
        DASHBOARD_WIDGETS.append(intake_widget)


def _open_query(office_id: int):
    return select(Dossier).where(Dossier.office_id == office_id, Dossier.state.in_(OPEN_STATES))


def intake_counts(session, office_id: int) -> tuple[int, int]:
    """(dossiers being received, of which overdue)."""
    total = session.exec(select(func.count()).select_from(Dossier).where(
        Dossier.office_id == office_id, Dossier.state.in_(OPEN_STATES))).one()
    overdue = session.exec(select(func.count()).select_from(Dossier).where(
        Dossier.office_id == office_id, Dossier.state.in_(OPEN_STATES), Dossier.due_at < utcnow())).one()
    return total, overdue


def intake_widget(user) -> None:
    if not user.has(Right.CREATE_COPY):
        return
    with session_scope() as session:
        total, overdue = intake_counts(session, user.office_id)
    with ui.card().classes("w-full cursor-pointer").on("click", lambda: ui.navigate.to("/intake")) \
            .props("data-testid=widget-intake"):
        ui.label("Hồ sơ đang tiếp nhận").classes("font-bold")
        with ui.row().classes("gap-4 items-center"):
            ui.label(f"{total} hồ sơ đang tiếp nhận / trả lại").mark("widget-intake-total")
            ui.badge(f"{overdue} quá hạn", color="negative" if overdue else "grey").mark("widget-intake-overdue")


def intake_list_page(page: int = 1) -> None:
    user = signed_in_user(Right.CREATE_COPY)
    if user is None:
        return
    state = {"page": max(1, page)}
    with frame("Tiếp nhận hồ sơ", user):
        ui.button("Tiếp nhận hồ sơ mới", icon="add", on_click=lambda: ui.navigate.to("/intake/new")) \
            .props("data-testid=intake-new").mark("intake-new")
        listing = ui.column().classes("w-full gap-2")

    def show() -> None:
        now = utcnow()
        with session_scope() as session:
            office = session.get(Office, user.office_id)
            calendar = calendar_for(session, office)
            total = session.exec(select(func.count()).select_from(_open_query(user.office_id).subquery())).one()
            pages = max(1, -(-total // PAGE_SIZE))
            state["page"] = min(state["page"], pages)
            rows = session.exec(_open_query(user.office_id).order_by(Dossier.due_at, Dossier.id)
                                .offset((state["page"] - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
        listing.clear()
        with listing:
            ui.label(f"{total} hồ sơ đang tiếp nhận hoặc được trả lại để bổ sung").classes("text-gray-700")
            for dossier in rows:
                _row(dossier, now, calendar)
            if pages > 1:
                ui.pagination(1, pages, direction_links=True, value=state["page"],
                              on_change=lambda e: go(e.value)).props("data-testid=intake-pages")

    def go(number: int) -> None:
        state["page"] = number
        show()

    show()


def _row(dossier: Dossier, now, calendar) -> None:
    with ui.card().classes("w-full cursor-pointer").on("click", lambda: ui.navigate.to(f"/dossier/{dossier.id}")) \
            .props(f"data-testid=intake-row-{dossier.id}"):
        with ui.row().classes("w-full items-center justify-between gap-2"):
            with ui.column().classes("gap-0"):
                ui.label(f"{dossier.code} — {dossier.requester_name}").classes("font-bold")
                ui.label(f"Tiếp nhận {format_local(dossier.received_at)} · Hạn trả {format_local(dossier.due_at)}") \
                    .classes("text-sm")
                ui.label(workflow.STATE_LABELS[dossier.state]).classes("text-sm text-gray-700")
            due_badge_chip(dossier.due_at, calendar, now=now, show_time=False)
        if dossier.state == workflow.RETURNED and dossier.return_comment:
            ui.label(f"Ý kiến của lãnh đạo: {dossier.return_comment}").classes("text-orange-900 text-sm") \
                .mark(f"return-comment-{dossier.id}")


# --- new dossier ---------------------------------------------------------------------------

def intake_new_page(request: Request) -> None:
    user = signed_in_user(Right.CREATE_COPY)
    if user is None:
        return
    addr = client_addr(request)
    state: dict = {"citizen_id": None}
    t: dict = {}  # the tablet dialog's inputs, once built
    built: dict = {}  # the ID pre-fill form, once opened
    with frame("Tiếp nhận hồ sơ mới", user):
        ui.link("← Danh sách hồ sơ đang tiếp nhận", "/intake").classes("ct-touch-link")
        with ui.row().classes("gap-2"):
            ui.button("Công dân đăng nhập trên máy tính bảng", icon="tablet_android",
                      on_click=lambda: tablet_dialog.open()).props("outline data-testid=tablet-login") \
                .mark("tablet-login")
        # built when first opened (a closed expansion still mounts its content on the tablet)
        lazy_expansion("Điền từ ảnh chụp thẻ căn cước", lambda: build_prefill(), icon="badge").classes("w-full") \
            .props("data-testid=id-prefill").mark("id-prefill")
        account_note = ui.label().classes("text-green-800 font-medium").mark("tablet-account")
        with ui.card().classes("w-full"):
            kind = ui.radio({"person": "Cá nhân", "organisation": "Tổ chức"}, value="person") \
                .props("inline data-testid=req-kind").mark("req-kind")
            name = _field("Họ và tên người yêu cầu (hoặc tên tổ chức)", "req-name")
            with ui.column().classes("w-full gap-2") as org_box:
                _ = ui.label("Thông tin tổ chức").classes("font-medium")
                tax_code = _field("Mã số thuế / mã số doanh nghiệp", "req-tax")
                representative = _field("Người đại diện (họ và tên)", "req-rep")
            id_number = _field("Số định danh cá nhân (CCCD) / CMND", "req-id", "inputmode=numeric")
            dob = _field("Ngày sinh (dd/mm/yyyy)", "req-dob")
            phone = _field("Số điện thoại", "req-phone", "inputmode=tel")
            email = _field("Thư điện tử", "req-email", "inputmode=email")
            address = _field("Địa chỉ", "req-address")
            complex_ = ui.checkbox("Hồ sơ phức tạp (nhiều bản chính, nhiều trang, nội dung khó kiểm tra — thời hạn "
                                   "xử lý tiếp nhận 16 giờ làm việc)").props("data-testid=req-complex") \
                .mark("req-complex")
        ui.button("Tiếp nhận hồ sơ", icon="assignment_turned_in", on_click=lambda: submit()) \
            .props("color=primary data-testid=req-open").mark("req-open")
        tablet_dialog = LazyDialog(lambda dialog: _tablet_card(dialog, t, lambda: tablet_sign_in()))

    org_box.bind_visibility_from(kind, "value", value="organisation")

    def build_prefill() -> None:
        # Nothing is copied on reading: OCR-read fields wait for the official's confirmation.
        built["prefill"] = IdPrefillForm()
        ui.button("Chép thông tin đã xác nhận vào hồ sơ", icon="content_copy", on_click=lambda: copy_prefill()) \
            .props("outline data-testid=id-copy").mark("id-copy")

    def copy_prefill() -> None:
        prefill = built["prefill"]
        values = prefill.confirmed_values()
        waiting = [FIELD_LABELS_VI[n] for n in prefill.unconfirmed()]
        if waiting:
            ui.notify("Chưa chép các trường chưa xác nhận: " + ", ".join(waiting) + ". Hãy đối chiếu với thẻ và "
                      "đánh dấu «Đúng» (hoặc sửa) rồi chép lại.", type="warning", multi_line=True)
        for field, key in ((name, "full_name"), (id_number, "id_number"), (address, "place_of_residence")):
            if values.get(key):
                field.set_value(values[key])
        if values.get("date_of_birth"):
            day = parse_day(values["date_of_birth"])
            dob.set_value(day.strftime("%d/%m/%Y") if day else values["date_of_birth"])

    async def tablet_sign_in() -> None:
        # argon2 (~1 s) runs off the event loop: the other tablets keep working meanwhile
        ok, result = await run_action(citizen_on_tablet, t["login"].value or "", t["password"].value or "", addr,
                                      right=Right.CREATE_COPY, message=t["error"])
        t["password"].set_value("")
        if not ok:
            return
        citizen_id, data = result
        state["citizen_id"] = citizen_id
        kind.set_value("person")
        name.set_value(data.name)
        id_number.set_value(data.id_number or "")
        dob.set_value(data.date_of_birth.strftime("%d/%m/%Y") if data.date_of_birth else "")
        phone.set_value(data.phone or "")
        email.set_value(data.email or "")
        address.set_value(data.address or "")
        account_note.set_text(f"Đã xác thực tài khoản công dân: {data.name}. Bản sao sẽ được gửi vào tài khoản này.")
        t["login"].set_value("")
        t["error"].set_text("")
        tablet_dialog.close()

    async def submit() -> None:
        birth = None
        if (dob.value or "").strip():
            birth = parse_day(dob.value)
            if birth is None:
                notify_error("Ngày sinh không hợp lệ; nhập theo dạng dd/mm/yyyy.")
                return
        organisation = kind.value == "organisation"
        requester = RequesterData(
            name=name.value or "", kind=kind.value, id_number=(id_number.value or "").strip() or None,
            date_of_birth=birth, phone=(phone.value or "").strip() or None,
            email=(email.value or "").strip() or None, address=(address.value or "").strip() or None,
            tax_code=((tax_code.value or "").strip() or None) if organisation else None,
            representative=((representative.value or "").strip() or None) if organisation else None)
        ok, dossier = await run_action(open_dossier, requester, addr=addr, citizen_id=state["citizen_id"],
                                       complex_=bool(complex_.value), right=Right.CREATE_COPY)
        if not ok:
            return
        ui.navigate.to(f"/dossier/{dossier.id}")


def _tablet_card(dialog: ui.dialog, t: dict, sign_in) -> None:
    """The citizen's sign-in on the official's tablet, drawn when the official first opens it."""
    with dialog, ui.card().classes("w-full max-w-sm"):
        ui.label("Công dân đăng nhập để điền thông tin").classes("font-bold")
        ui.label("Mời người yêu cầu tự nhập số định danh (hoặc số điện thoại) và mật khẩu tài khoản của mình. "
                 "Phiên làm việc của công chức không thay đổi.").classes("text-sm")
        t["login"] = ui.input("Số định danh hoặc số điện thoại").classes("w-full") \
            .props("autocomplete=off data-testid=tablet-user").mark("tablet-user")
        t["password"] = ui.input("Mật khẩu", password=True, password_toggle_button=True).classes("w-full") \
            .props("autocomplete=off data-testid=tablet-password").mark("tablet-password")
        t["error"] = ui.label().classes("text-red-700").mark("tablet-error")
        with ui.row():
            ui.button("Xác nhận", on_click=sign_in).props("data-testid=tablet-ok").mark("tablet-ok")
            ui.button("Đóng", on_click=dialog.close).props("flat")


def _field(label: str, testid: str, props: str = "") -> ui.input:
    return ui.input(label).classes("w-full").props(f"data-testid={testid} {props}".strip()).mark(testid)
