"""Ứng dụng tích hợp (API) — /admin/api: the administrator registers integrations (a bank, the province's
one-stop system), sees each key once, rotates or revokes it, sets the subscriber URL, and reads the webhook
delivery log of the office."""
from __future__ import annotations

from nicegui import ui

from app.api import admin as api_admin
from app.views.api_clients import delivery_log, office_clients
from app.web.actions import run_action
from components.admin_common import error_label
from components.frame import frame, official_page
from domain.api_scopes import READ_DOSSIERS, SCOPE_LABELS, VERIFY
from domain.clock import format_local
from domain.rights import Right
from domain.webhook_events import EVENT_LABELS

MONO = "font-family: monospace"  # app.css carries only the utility classes in use elsewhere
DELIVERY_STATUS = {"pending": "chờ gửi", "delivered": "đã nhận", "cancelled": "đã hủy"}
LOG_COLUMNS = [
    {"name": "client", "label": "Ứng dụng", "field": "client", "align": "left"},
    {"name": "dossier", "label": "Hồ sơ", "field": "dossier", "align": "left"},
    {"name": "event", "label": "Sự kiện", "field": "event", "align": "left"},
    {"name": "status", "label": "Trạng thái", "field": "status", "align": "left"},
    {"name": "attempts", "label": "Số lần gửi", "field": "attempts", "align": "right"},
    {"name": "detail", "label": "Kết quả lần cuối", "field": "detail", "align": "left"},
    {"name": "at", "label": "Đã nhận lúc / gửi lại lúc", "field": "at", "align": "left"},
]


@official_page("/admin/api", right=Right.ADMINISTER)
def api_page(user) -> None:
    with frame("Ứng dụng tích hợp (API)", user):
        ui.label("Khóa API cho phép ngân hàng, hệ thống một cửa của tỉnh kết nối với phần mềm. Khóa chỉ hiển "
                 "thị một lần khi cấp; hệ thống chỉ lưu mã băm của khóa.").classes("text-gray-700")
        ui.link("Tài liệu API (OpenAPI)", "/api/v1/docs", new_tab=True).mark("api-docs-link")
        shown = ui.column().classes("w-full")
        clients = ui.column().classes("w-full gap-2").mark("api-clients")
        log = ui.column().classes("w-full")

        def refresh() -> None:
            draw_clients(clients, user, shown, refresh)
            draw_log(log, user.office_id)

        new_client_form(shown, refresh)
        refresh()


def new_client_form(shown: ui.column, refresh) -> None:
    with ui.card().classes("w-full"):
        ui.label("Đăng ký ứng dụng tích hợp").classes("font-bold")
        name = ui.input("Tên ứng dụng (ví dụ: Ngân hàng A — chi nhánh Hoàn Kiếm)").classes("w-full") \
            .mark("api-name")
        verify = ui.checkbox(SCOPE_LABELS[VERIFY], value=True).mark("api-scope-verify")
        read = ui.checkbox(SCOPE_LABELS[READ_DOSSIERS]).mark("api-scope-read")
        url = ui.input("Địa chỉ nhận sự kiện (https://…, không bắt buộc)").classes("w-full") \
            .mark("api-webhook")
        rate = ui.number("Số lần gọi tối đa mỗi phút", value=120, min=1, max=6000, precision=0) \
            .classes("w-full").mark("api-rate")
        message = error_label("api-error")

        async def submit() -> None:
            scopes = [s for s, box in ((VERIFY, verify), (READ_DOSSIERS, read)) if box.value]
            ok, issued = await run_action(api_admin.register_client, name.value or "", scopes,
                                          url.value or "", int(rate.value or 0), right=Right.ADMINISTER,
                                          message=message)
            if ok:
                show_key(shown, name.value, issued)
                name.value, url.value = "", ""
                refresh()

        ui.button("Đăng ký và cấp khóa", icon="key", on_click=submit).mark("api-register")


def show_key(shown: ui.column, name: str, issued) -> None:
    shown.clear()
    with shown, ui.card().classes("w-full bg-orange-100"):
        ui.label(f"«{name}» — chỉ hiển thị lần này, hãy sao chép và gửi an toàn cho đơn vị:") \
            .classes("font-bold")
        if issued.key:
            ui.label("Khóa API:").classes("font-medium")
            ui.label(issued.key).classes("break-all").style(MONO).mark("api-key-shown")
        if issued.webhook_secret:
            ui.label("Khóa ký sự kiện (HMAC-SHA256):").classes("font-medium")
            ui.label(issued.webhook_secret).classes("break-all").style(MONO).mark("api-webhook-secret")
        ui.button("Đã sao chép, ẩn đi", on_click=shown.clear).props("flat")


def draw_clients(holder: ui.column, user, shown: ui.column, refresh) -> None:
    holder.clear()
    with holder:
        ui.label("Các ứng dụng đã đăng ký").classes("font-bold mt-2")
        rows = office_clients(user.office_id)
        if not rows:
            ui.label("Chưa có ứng dụng nào.").classes("text-gray-600")
        for row in rows:
            client_card(row, shown, refresh)


def client_card(row, shown: ui.column, refresh) -> None:
    with ui.card().classes("w-full").mark(f"api-client-{row.id}"):
        state = "ĐÃ THU HỒI" if row.revoked else "đang hoạt động"
        ui.label(f"{row.name} — {state}").classes("font-medium")
        ui.label(f"Phạm vi: {'; '.join(SCOPE_LABELS.get(s, s) for s in row.scopes)}").classes("text-sm")
        ui.label(f"Khóa: ct_{row.key_prefix}_… · tối đa {row.rate_per_minute} lần/phút · "
                 f"{row.calls_24h} lần gọi trong 24 giờ · đăng ký {format_local(row.created_at)}") \
            .classes("text-sm text-gray-700")
        ui.label(f"Nhận sự kiện: {row.webhook_url or 'không'}"
                 + (f" · {row.pending} sự kiện chờ gửi" if row.pending else "")).classes("text-sm")
        if row.revoked:
            return
        message = error_label(f"api-client-error-{row.id}")

        async def act(use_case, *args, success: str) -> None:
            ok, issued = await run_action(use_case, row.id, *args, right=Right.ADMINISTER, message=message,
                                          success=success)
            if ok:
                if getattr(issued, "key", "") or getattr(issued, "webhook_secret", None):
                    show_key(shown, row.name, issued)
                refresh()

        with ui.row().classes("gap-2 items-center"):
            ui.button("Cấp khóa mới", icon="refresh",
                      on_click=lambda: act(api_admin.rotate_key, success="Đã cấp khóa mới.")) \
                .props("outline").mark(f"api-rotate-{row.id}")
            ui.button("Thu hồi khóa", icon="block", color="negative",
                      on_click=lambda: act(api_admin.revoke_client, success="Đã thu hồi khóa.")) \
                .props("outline").mark(f"api-revoke-{row.id}")
            if READ_DOSSIERS in row.scopes:
                url = ui.input("Địa chỉ nhận sự kiện", value=row.webhook_url).classes("grow") \
                    .mark(f"api-webhook-{row.id}")
                ui.button("Lưu địa chỉ", on_click=lambda: act(api_admin.set_webhook, url.value or "",
                                                               success="Đã lưu địa chỉ nhận sự kiện.")) \
                    .props("flat").mark(f"api-webhook-save-{row.id}")


def draw_log(holder: ui.column, office_id: int | None) -> None:
    holder.clear()
    with holder:
        ui.label("Nhật ký gửi sự kiện (webhook)").classes("font-bold mt-2")
        rows = [{"id": d.id, "client": d.client, "dossier": d.dossier_code,
                 "event": EVENT_LABELS.get(d.event_type, d.event_type),
                 "status": DELIVERY_STATUS.get(d.status, d.status), "attempts": d.attempts,
                 "detail": (f"HTTP {d.last_status}" if d.last_status else "") + (f" {d.last_error}" if
                                                                                  d.last_error else ""),
                 "at": format_local(d.delivered_at or d.next_attempt_at, "%d/%m/%Y %H:%M:%S")}
                for d in delivery_log(office_id)]
        ui.table(columns=LOG_COLUMNS, rows=rows, row_key="id").classes("w-full") \
            .props("flat bordered wrap-cells dense").mark("api-deliveries")
