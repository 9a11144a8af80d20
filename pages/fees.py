"""/fees (SPEC C5): the one-stop section collects the fee after the original has been accepted, records
the payment (cash or transfer, receipt number) and prints the receipt (biên lai thu phí)."""
from __future__ import annotations

from fastapi import Request
from nicegui import ui

from app.dossier_service import receipt_bytes
from app.views.fees import FeeDue, Receipt, fee_desk, fees_due
from app.web.actions import run_action
from app.web.auth import client_addr
from components.dashboard import DASHBOARD_WIDGETS, add_widget
from components.dossier_common import notify_error, vnd
from components.frame import frame, official_page
from domain import workflow
from domain.access import AccessDenied, CurrentUser
from domain.clock import format_local
from domain.payments import METHOD_LABELS, record_payment
from domain.rights import Right


def add_routes() -> None:
    add_widget(DASHBOARD_WIDGETS, fee_widget)


def fee_widget(user: CurrentUser) -> None:
    if not user.has(Right.COLLECT_FEE):
        return
    count = len(fees_due(user.office_id))
    with ui.card().classes("w-full cursor-pointer").on("click", lambda: ui.navigate.to("/fees")) \
            .props("data-testid=widget-fees"):
        ui.label("Thu phí chứng thực").classes("font-bold")
        ui.label(f"{count} hồ sơ chờ nộp phí").mark("widget-fees-count")


@official_page("/fees", right=Right.COLLECT_FEE)
def fees_page(user, request: Request) -> None:
    addr = client_addr(request)
    with frame("Thu phí chứng thực", user):
        due_box = ui.column().classes("w-full gap-2")
        ui.label("Biên lai đã thu gần đây").classes("text-lg font-bold mt-4")
        recent_box = ui.column().classes("w-full gap-1")

    def download(payment_id: int) -> None:
        download_receipt(user, payment_id)

    def paid(payment_id: int) -> None:
        download(payment_id)
        show()

    def show() -> None:
        due, recent = fee_desk(user.office_id)
        due_box.clear()
        with due_box:
            due_rows(due, lambda row: pay_dialog(row, addr, paid))
        recent_box.clear()
        with recent_box:
            receipt_rows(recent, download)

    show()


def due_rows(due: list[FeeDue], pay) -> None:
    ui.label(f"{len(due)} hồ sơ chờ nộp phí").classes("text-gray-700").mark("fees-count")
    for row in due:
        with ui.card().classes("w-full").props(f"data-testid=fee-row-{row.dossier_id}"):
            with ui.row().classes("w-full items-center justify-between gap-2"):
                with ui.column().classes("gap-0"):
                    ui.label(f"{row.code} — {row.requester_name}").classes("font-bold")
                    ui.label(f"Tiếp nhận {format_local(row.received_at)} · "
                             f"{workflow.STATE_LABELS[row.state]}").classes("text-sm")
                ui.label(f"Còn phải nộp: {vnd(row.owed)}").classes("font-medium")
                ui.button("Thu phí", icon="payments", on_click=lambda r=row: pay(r)) \
                    .props(f"data-testid=pay-{row.dossier_id}").mark(f"pay-{row.dossier_id}")


def receipt_rows(recent: list[Receipt], download) -> None:
    if not recent:
        ui.label("Chưa có biên lai nào.").classes("text-gray-700")
    for receipt in recent:
        with ui.row().classes("items-center gap-2"):
            ui.label(f"{receipt.receipt_number} · {receipt.code} · {receipt.requester_name} · "
                     f"{vnd(receipt.amount)} · {format_local(receipt.at)}")
            ui.button("Tải biên lai", icon="receipt", on_click=lambda p=receipt.payment_id: download(p)) \
                .props(f"flat data-testid=receipt-{receipt.payment_id}").mark(f"receipt-{receipt.payment_id}")


def pay_dialog(due: FeeDue, addr: str, on_paid) -> None:
    """Record a payment of the amount still owed (editable); on success `on_paid(payment_id)`."""
    with ui.dialog() as dialog, ui.card().classes("w-full max-w-md"):
        ui.label(f"Thu phí hồ sơ {due.code}").classes("font-bold")
        ui.label(f"Người nộp: {due.requester_name}")
        method = (
            ui.radio(METHOD_LABELS, value="cash").props("inline data-testid=pay-method").mark("pay-method")
        )
        amount = ui.number("Số tiền (đồng)", value=due.owed, min=0, precision=0).classes("w-full") \
            .props("data-testid=pay-amount").mark("pay-amount")
        receipt = (
            ui.input("Số biên lai").classes("w-full").props("data-testid=pay-receipt").mark("pay-receipt")
        )
        error = ui.label().classes("text-red-700").mark("pay-error")

        async def save() -> None:
            try:
                value = int(amount.value)
            except (TypeError, ValueError):
                error.set_text("Số tiền không hợp lệ.")
                return
            ok, payment = await run_action(
                record_payment,
                due.dossier_id,
                method.value,
                value,
                receipt.value or "",
                addr,
                right=Right.COLLECT_FEE,
                record=("dossier", due.dossier_id),
                message=error,
            )
            if not ok:
                return
            dialog.close()
            ui.notify(f"Đã thu phí, biên lai {payment.receipt_number}.", type="positive")
            on_paid(payment.id)

        with ui.row():
            ui.button("Ghi nhận và in biên lai", icon="print", on_click=save).props("data-testid=pay-save") \
                .mark("pay-save")
            ui.button("Đóng", on_click=dialog.close).props("flat")
    dialog.open()


def download_receipt(user: CurrentUser, payment_id: int) -> None:
    try:
        filename, data = receipt_bytes(user, payment_id)
    except AccessDenied as exc:
        notify_error(exc.message)
        return
    ui.download.content(data, filename, "application/pdf")
