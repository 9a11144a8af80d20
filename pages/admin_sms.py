"""Hộp thư SMS (demo) — /admin/sms, administrators only: every SMS with its delivery status.
In demo mode the body is shown as is (it is the demo's "phone"); otherwise codes and passwords are masked."""
from __future__ import annotations

from nicegui import run, ui
from sqlmodel import select

from app.db import session_scope
from app.settings import get_settings
from app.sms import deliver_pending_sms
from app.sms_cli import STATUS_VI
from components.frame import frame, signed_in_user
from components.menu import REGISTERED
from domain.clock import format_local
from domain.models import SmsMessage
from domain.phone import phone_search_key
from domain.rights import Right
from domain.sms import mask_secrets

LIMIT = 100
COLUMNS = [
    {"name": "id", "label": "#", "field": "id", "align": "left"},
    {"name": "at", "label": "Thời gian", "field": "at", "align": "left"},
    {"name": "phone", "label": "Số điện thoại", "field": "phone", "align": "left"},
    {"name": "status", "label": "Trạng thái", "field": "status", "align": "left"},
    {"name": "body", "label": "Nội dung", "field": "body", "align": "left"},
]


def register() -> None:
    REGISTERED.add("/admin/sms")
    ui.page("/admin/sms")(sms_page)


def load_rows(phone_filter: str, demo: bool) -> list[dict]:
    query = select(SmsMessage).order_by(SmsMessage.id.desc()).limit(LIMIT)
    phone = phone_search_key(phone_filter or "")
    if phone:
        query = query.where(SmsMessage.phone == phone)
    with session_scope() as session:
        rows = session.exec(query).all()
    return [{"id": m.id, "at": format_local(m.created_at, "%d/%m/%Y %H:%M:%S"), "phone": m.phone,
             "status": STATUS_VI.get(m.status, m.status)
             + (f" — lần thử {m.attempts}: {m.last_error}" if m.last_error else ""),
             "body": m.body if demo else mask_secrets(m.body)} for m in rows]


def sms_page() -> None:
    user = signed_in_user(Right.ADMINISTER)
    if user is None:
        return
    demo = get_settings().demo
    with frame("Hộp thư SMS (demo)", user):
        ui.label("Trong bản demo, tin nhắn không gửi ra mạng điện thoại mà được giữ ở đây." if demo else
                 "Tin nhắn đã gửi qua cổng SMS; mã OTP và mật khẩu được che.").classes("text-gray-700")
        with ui.row().classes("w-full items-center gap-2"):
            phone = ui.input("Lọc theo số điện thoại").classes("grow").props("clearable data-testid=sms-filter") \
                .mark("sms-filter")
            ui.button("Làm mới", icon="refresh", on_click=lambda: refresh()).mark("sms-refresh")
            ui.button("Gửi lại tin chờ gửi", icon="send", on_click=lambda: retry()).props("outline") \
                .mark("sms-retry")
        table = ui.table(columns=COLUMNS, rows=[], row_key="id").classes("w-full") \
            .props("flat bordered wrap-cells data-testid=sms-table").mark("sms-table")

        def refresh() -> None:
            table.rows = load_rows(phone.value or "", demo)
            table.update()

        async def retry() -> None:
            sent = await run.io_bound(deliver_pending_sms)
            ui.notify(f"Đã gửi {sent} tin nhắn.")
            refresh()

        phone.on("keydown.enter", refresh)
        refresh()
