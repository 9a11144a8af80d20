"""Cấu hình cơ quan: the office's settings, its calendar exceptions, who holds which right (C8)."""
from __future__ import annotations

from nicegui import ui

from app.signing import keystore
from app.views.admin import holders as office_holders
from app.web.actions import read_now, run_action
from components.admin_common import error_label, gaps_warning
from components.admin_office_days import office_days_section
from components.admin_signing_form import SigningForm
from components.frame import frame, official_page
from domain.administration import OFFICE_KINDS, OfficeSettings, office_settings
from domain.rights import RIGHT_LABELS, Right
from domain.signing.statement import DEFAULT_STATEMENT_TEMPLATE
from domain.signing_keys import token_choices


@official_page("/admin/office", right=Right.ADMINISTER)
def office_page(user) -> None:
    with frame("Cấu hình cơ quan", user):
        gaps_warning(user.office_id)
        timestamp_warning()
        holders_card(user.office_id)
        ok, settings = read_now(office_settings, right=Right.ADMINISTER)
        if not ok:
            return
        settings_form(settings)
        office_days_section()


def timestamp_warning() -> None:
    """Without a time-stamp server, copies are only PAdES B-B: they cannot be verified once the
    certificates expire. Said on this page until TSA_URL is set."""
    from app.signing.resolve import tsa_url

    if tsa_url():
        return
    with ui.row().classes("w-full bg-orange-100 text-orange-900 p-3 rounded items-center gap-2").mark(
            "tsa-warning"):
        ui.icon("warning")
        ui.label(
            "Chưa cấu hình máy chủ cấp dấu thời gian (TSA_URL): chữ ký số của bản sao không có dấu thời gian "
            "và dữ liệu xác thực dài hạn, nên không kiểm tra được sau khi chứng thư số hết hạn. "
            "Hãy đặt TSA_URL (và TRUST_ROOTS) theo hướng dẫn của tổ chức cung cấp dịch vụ chứng thực "
            "chữ ký số."
        )


def holders_card(office_id: int | None) -> None:
    holders = office_holders(office_id)
    with ui.expansion("Người giữ quyền tại cơ quan", icon="groups").classes("w-full"):
        for right, label in RIGHT_LABELS.items():
            names = ", ".join(holders.get(right, [])) or "chưa có ai"
            ui.label(f"{label}: {names}").classes("text-sm").mark(f"holders-{right}")


def periods_text(periods: list) -> str:
    return ", ".join(f"{start}–{end}" for start, end in periods)


def parse_periods(text: str) -> list[list[str]]:
    """'08:00–12:00, 13:00-17:00' → [['08:00', '12:00'], ['13:00', '17:00']];
    the use case checks the times."""
    result = []
    for part in (text or "").replace(";", ",").split(","):
        if part.strip():
            start, _, end = part.replace("–", "-").replace("—", "-").partition("-")
            result.append([start.strip(), end.strip()])
    return result


def field(label: str, marker: str, value, **kw):
    return ui.input(label, value=value, **kw).classes("w-full").mark(marker).props(f"data-testid={marker}")


def settings_form(s: OfficeSettings) -> None:
    ui.label("Thay đổi áp dụng cho các hồ sơ tiếp nhận sau khi lưu; hồ sơ đang xử lý giữ cấu hình cũ.") \
        .classes("text-sm text-gray-700")
    fields = {**office_card(s), **hours_card(s), **book_card(s), **notices_card(s)}
    tokens = read_now(token_choices, right=Right.ADMINISTER).value or {}
    signing = SigningForm(s.signing_config, tokens=tokens)
    message = error_label("office-error")

    async def save() -> None:
        new = settings_from(fields, signing)
        ok, changed = await run_action(
            keystore.update_office_settings, new, right=Right.ADMINISTER, message=message
        )
        if ok:
            ui.notify("Đã lưu: " + ", ".join(changed) if changed else "Không có thay đổi.", type="positive")

    ui.button("Lưu cấu hình", icon="save", on_click=save).mark("save-office").props("data-testid=save-office")


def office_card(s: OfficeSettings) -> dict:
    with ui.card().classes("w-full gap-2"):
        ui.label("Thông tin cơ quan").classes("font-bold")
        kind = ui.select(OFFICE_KINDS, value=s.kind, label="Loại cơ quan").classes("w-full sm:w-80") \
            .mark("o-kind").props("data-testid=o-kind")
        name = field("Tên cơ quan", "o-name", s.name)
        address = field("Địa chỉ", "o-address", s.address)
        email = field("Thư điện tử của cơ quan", "o-email", s.email)
        titles = ui.textarea("Chức danh lãnh đạo ký bản sao (mỗi dòng một chức danh)",
                             value="\n".join(s.leader_titles)).classes("w-full").mark("o-titles") \
            .props("autogrow data-testid=o-titles")
    return {"kind": kind, "name": name, "address": address, "email": email, "titles": titles}


def hours_card(s: OfficeSettings) -> dict:
    with ui.card().classes("w-full gap-2"):
        ui.label("Giờ làm việc và lịch hẹn").classes("font-bold")
        hours = field("Giờ làm việc (thứ Hai – thứ Sáu), ví dụ 08:00-12:00, 13:00-17:00", "o-hours",
                      periods_text(s.office_hours))
        saturday = ui.switch("Tiếp nhận hồ sơ sáng thứ Bảy", value=s.saturday_reception).mark("o-saturday") \
            .props("data-testid=o-saturday")
        saturday_hours = field("Giờ tiếp nhận thứ Bảy", "o-saturday-hours", periods_text(s.saturday_hours))
        saturday_hours.bind_visibility_from(saturday, "value")
        with ui.row().classes("w-full gap-2 flex-wrap"):
            slot_minutes = (
                ui.number("Độ dài khung giờ hẹn (phút)", value=s.slot_minutes, min=5, max=240, precision=0)
                .classes("w-full sm:w-64")
                .mark("o-slot-minutes")
                .props("data-testid=o-slot-minutes")
            )
            slot_capacity = (
                ui.number("Số người mỗi khung giờ", value=s.slot_capacity, min=1, max=100, precision=0)
                .classes("w-full sm:w-64")
                .mark("o-slot-capacity")
                .props("data-testid=o-slot-capacity")
            )
    return {"hours": hours, "saturday": saturday, "saturday_hours": saturday_hours,
            "slot_minutes": slot_minutes, "slot_capacity": slot_capacity}


def book_card(s: OfficeSettings) -> dict:
    with ui.card().classes("w-full gap-2"):
        ui.label("Sổ chứng thực và lời chứng").classes("font-bold")
        book = field(
            "Nhãn quyển sổ — dùng {book} (số quyển) và {year} (năm)", "o-book", s.book_label_template
        )
        number = field(
            "Định dạng số chứng thực — dùng {n} (số thứ tự), có thể thêm {year}", "o-number", s.number_format
        )
        statement = (
            ui.textarea(
                "Mẫu lời chứng (để trống: dùng mẫu mặc định) — dùng {number}, {book}, {dd}, {mm}, {yyyy}",
                value=s.statement_template,
                placeholder=DEFAULT_STATEMENT_TEMPLATE,
            )
            .classes("w-full")
            .mark("o-statement")
            .props("autogrow data-testid=o-statement")
        )
    return {"book": book, "number": number, "statement": statement}


def notices_card(s: OfficeSettings) -> dict:
    with ui.card().classes("w-full gap-2"):
        ui.label("Thông báo và thu phí").classes("font-bold")
        notify_sms = ui.checkbox("Gửi thông báo kết quả qua SMS", value=s.notify_sms).mark("o-notify-sms")
        notify_email = ui.checkbox("Gửi bản sao và thông báo qua thư điện tử", value=s.notify_email).mark(
            "o-notify-email"
        )
        pay_later = ui.checkbox("Cho phép nộp phí sau khi nhận kết quả", value=s.allow_pay_later).mark(
            "o-pay-later"
        )
    return {"notify_sms": notify_sms, "notify_email": notify_email, "pay_later": pay_later}


def settings_from(f: dict, signing: SigningForm) -> OfficeSettings:
    """The settings as typed in the form's fields."""
    return OfficeSettings(
        kind=f["kind"].value, name=f["name"].value or "", address=f["address"].value or "",
        leader_titles=(f["titles"].value or "").splitlines(), office_hours=parse_periods(f["hours"].value),
        saturday_reception=bool(f["saturday"].value), saturday_hours=parse_periods(f["saturday_hours"].value),
        book_label_template=f["book"].value or "", number_format=f["number"].value or "",
        statement_template=f["statement"].value or "", notify_sms=bool(f["notify_sms"].value),
        notify_email=bool(f["notify_email"].value), allow_pay_later=bool(f["pay_later"].value),
        slot_minutes=int(f["slot_minutes"].value or 0), slot_capacity=int(f["slot_capacity"].value or 0),
        email=f["email"].value or "", signing_config=signing.value())
