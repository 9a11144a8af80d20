"""Hộp thư SMS (demo) — /admin/sms: exists only in demo mode (the outbox is the demo's phone), for
administrators, listing only the SMS of the viewer's own office. Secrets show while they last."""
from __future__ import annotations

from fastapi import HTTPException
from nicegui import run, ui

from app.settings import get_settings
from app.sms import deliver_pending_sms
from app.sms_cli import STATUS_VI
from app.views.admin import office_sms
from components.frame import frame, signed_in_user
from components.menu import REGISTERED
from domain.clock import format_local
from domain.rights import Right
from domain.sms import shown_text

COLUMNS = [
    {"name": "id", "label": "#", "field": "id", "align": "left"},
    {"name": "at", "label": "Thời gian", "field": "at", "align": "left"},
    {"name": "phone", "label": "Số điện thoại", "field": "phone", "align": "left"},
    {"name": "status", "label": "Trạng thái", "field": "status", "align": "left"},
    {"name": "body", "label": "Nội dung", "field": "body", "align": "left"},
]


def register() -> None:
    if not get_settings().demo:
        REGISTERED.discard("/admin/sms")  # no menu entry, and no route: /admin/sms is a 404
        return
    REGISTERED.add("/admin/sms")
    ui.page("/admin/sms")(sms_page)


def load_rows(office_id: int | None, phone_filter: str, demo: bool) -> list[dict]:
    """The office's latest SMS as table rows (app.views.admin.office_sms)."""
    rows = office_sms(office_id, phone_filter)
    return [{"id": m.id, "at": format_local(m.created_at, "%d/%m/%Y %H:%M:%S"), "phone": m.phone,
             "status": STATUS_VI.get(m.status, m.status)
             + (f" — lần thử {m.attempts}: {m.last_error}" if m.last_error else ""),
             "body": shown_text(m, demo=demo)} for m in rows]


def sms_page() -> None:
    demo = get_settings().demo
    if not demo:
        raise HTTPException(status_code=404)  # a real office's SMS go to phones, not to a page
    user = signed_in_user(Right.ADMINISTER)
    if user is None:
        return
    with frame("Hộp thư SMS (demo)", user):
        ui.label(
            "Trong bản demo, tin nhắn không gửi ra mạng điện thoại mà được giữ ở đây (chỉ tin nhắn của cơ "
            "quan bạn; mã OTP và mật khẩu tạm thời bị xóa khi hết hạn)."
        ).classes("text-gray-700")
        with ui.row().classes("w-full items-center gap-2"):
            phone = (
                ui.input("Lọc theo số điện thoại")
                .classes("grow")
                .props("clearable data-testid=sms-filter")
                .mark("sms-filter")
            )
            ui.button("Làm mới", icon="refresh", on_click=lambda: refresh()).mark("sms-refresh")
            ui.button("Gửi lại tin chờ gửi", icon="send", on_click=lambda: retry()).props("outline") \
                .mark("sms-retry")
        table = ui.table(columns=COLUMNS, rows=[], row_key="id").classes("w-full") \
            .props("flat bordered wrap-cells data-testid=sms-table").mark("sms-table")

        def refresh() -> None:
            table.rows = load_rows(user.office_id, phone.value or "", demo)
            table.update()

        async def retry() -> None:
            sent = await run.io_bound(deliver_pending_sms)
            ui.notify(f"Đã gửi {sent} tin nhắn.")
            refresh()

        phone.on("keydown.enter", refresh)
        refresh()
