"""Hộp thư SMS — /admin/sms, for administrators, listing only the SMS of the viewer's own office: what
was sent, what is still being tried (a gateway that is down is tried for a day), and what failed, with
«Gửi lại» for a failed one. In demo mode the outbox is the demo's phone: secrets show while they last;
outside demo mode every OTP and password is masked."""
from __future__ import annotations

from nicegui import run, ui

from app.cli.sms_cli import STATUS_VI
from app.outbox.sms import deliver_pending_sms
from app.settings import get_settings
from app.views.admin import office_sms
from app.web.actions import run_action
from app.web.jobs import deliver_soon
from components.frame import frame, signed_in_user
from components.menu import REGISTERED
from domain.clock import format_local
from domain.rights import Right
from domain.sms import resend, shown_text

COLUMNS = [
    {"name": "id", "label": "#", "field": "id", "align": "left"},
    {"name": "at", "label": "Thời gian", "field": "at", "align": "left"},
    {"name": "phone", "label": "Số điện thoại", "field": "phone", "align": "left"},
    {"name": "status", "label": "Trạng thái", "field": "status", "align": "left"},
    {"name": "body", "label": "Nội dung", "field": "body", "align": "left"},
]
PICK_FAILED = "Hãy chọn một tin nhắn ở trạng thái «lỗi» để gửi lại."


def add_routes() -> None:
    REGISTERED.add("/admin/sms")
    ui.page("/admin/sms")(sms_page)


def load_rows(office_id: int | None, phone_filter: str, demo: bool) -> list[dict]:
    """The office's latest SMS as table rows (app.views.admin.office_sms)."""
    rows = office_sms(office_id, phone_filter)
    return [{"id": m.id, "at": format_local(m.created_at, "%d/%m/%Y %H:%M:%S"), "phone": m.phone,
             "status": STATUS_VI.get(m.status, m.status)
             + (f" — lần thử {m.attempts}: {m.last_error}" if m.last_error else ""),
             "failed": m.status == "failed", "body": shown_text(m, demo=demo)} for m in rows]


def sms_page() -> None:
    demo = get_settings().demo
    user = signed_in_user(Right.ADMINISTER)
    if user is None:
        return
    with frame("Hộp thư SMS (demo)" if demo else "Hộp thư SMS", user):
        ui.label(
            "Trong bản demo, tin nhắn không gửi ra mạng điện thoại mà được giữ ở đây (chỉ tin nhắn của cơ "
            "quan bạn; mã OTP và mật khẩu tạm thời bị xóa khi hết hạn)." if demo else
            "Tin nhắn của cơ quan bạn. Khi tổng đài SMS không trả lời, tin được gửi lại thưa dần trong "
            "24 giờ; sau đó tin chuyển sang «lỗi» và có thể chọn để gửi lại. Mã OTP và mật khẩu luôn "
            "được che."
        ).classes("text-gray-700")
        with ui.row().classes("w-full items-center gap-2"):
            phone = (
                ui.input("Lọc theo số điện thoại")
                .classes("grow")
                .props("clearable data-testid=sms-filter")
                .mark("sms-filter")
            )
            ui.button("Làm mới", icon="refresh", on_click=lambda: refresh()).mark("sms-refresh")
            ui.button("Gửi lại tin đã chọn", icon="send", on_click=lambda: resend_selected()) \
                .props("outline").mark("sms-resend")
            if demo:
                ui.button("Gửi tin chờ gửi", icon="send", on_click=lambda: retry()).props("outline") \
                    .mark("sms-retry")
        message = ui.label().classes("text-negative").mark("sms-message")
        table = ui.table(columns=COLUMNS, rows=[], row_key="id", selection="single").classes("w-full") \
            .props("flat bordered wrap-cells data-testid=sms-table").mark("sms-table")

        def refresh() -> None:
            table.rows = load_rows(user.office_id, phone.value or "", demo)
            table.selected = []
            table.update()

        async def retry() -> None:
            sent = await run.io_bound(deliver_pending_sms, office_id=user.office_id)
            ui.notify(f"Đã gửi {sent} tin nhắn.")
            refresh()

        async def resend_selected() -> None:
            picked = [row for row in table.selected if row.get("failed")]
            if not picked:
                message.text = PICK_FAILED
                return
            outcome = await run_action(resend, picked[0]["id"], right=Right.ADMINISTER,
                                       message=message, success="Đã đưa tin nhắn vào hàng chờ gửi lại.")
            if outcome.ok:
                deliver_soon()
                refresh()

        phone.on("keydown.enter", refresh)
        refresh()
