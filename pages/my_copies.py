"""Bản sao đã chứng thực — /my/copies (citizen): the copies issued to them, to download and to share by link
or QR. /download/copy/{entry_id}: the issued PDF for its owner (citizen) or an official of the issuing office;
anything else is 404 (nothing tells a stranger the copy exists)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from nicegui import app, ui

from app.outbox.citizen_notices import citizen_refusals
from app.views.copies import CopyRow, citizen_copies, copy_file_for
from app.web.auth import current_user
from components.copy_link import verify_link_block
from components.dashboard import CITIZEN_WIDGETS, add_widget
from components.frame import frame, official_page
from components.refusal_card import refusal_card, refusals_widget
from domain.access import CurrentUser
from domain.clock import format_local

NOT_FOUND = (
    "<!doctype html><meta charset='utf-8'><title>Không tìm thấy</title>"
    "<p>Không tìm thấy bản sao, hoặc bạn không có quyền tải bản sao này.</p>"
    "<p><a href='/'>Về trang chủ</a></p>"
)


def add_routes() -> None:
    app.get("/download/copy/{entry_id}")(download_copy)
    if refusals_widget not in CITIZEN_WIDGETS:  # first of the cards: a refusal is what the citizen acts on
        CITIZEN_WIDGETS.insert(0, refusals_widget)
    add_widget(CITIZEN_WIDGETS, recent_copies_widget)


def download_copy(entry_id: int, request: Request) -> Response:
    user = current_user()
    if user is None:
        return RedirectResponse(f"/login?redirect_to=/download/copy/{entry_id}")
    found = copy_file_for(user, entry_id)
    if found is None:
        return HTMLResponse(NOT_FOUND, status_code=404)
    data, name = found
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@official_page("/my/copies", citizen=True)
def my_copies_page(user) -> None:
    with frame("Bản sao đã chứng thực", user):
        rows = citizen_copies(user)
        if not rows:
            ui.label("Bạn chưa có bản sao điện tử nào được chứng thực.").mark("no-copies")
        for row in rows:
            copy_card(row)
        refusals = citizen_refusals(user)
        if refusals:
            ui.label("Thông báo từ chối chứng thực").classes("text-lg font-bold text-blue-900")
            for refusal in refusals:
                refusal_card(user, refusal)


def copy_card(row: CopyRow) -> None:
    with ui.card().classes("w-full").props(f"data-testid=copy-{row.entry_id}"):
        ui.label(row.document_title).classes("text-lg font-bold").mark(f"copy-{row.entry_id}")
        ui.label(f"{row.office_name} · số chứng thực {row.number_text} · quyển {row.book}").classes("text-sm")
        ui.label(
            f"Cấp ngày {format_local(row.issued_at, '%d/%m/%Y')} · {row.pages} trang"
            f" · hồ sơ {row.dossier_code}"
        ).classes("text-sm text-gray-600")
        if row.revoked_at:
            ui.label(
                f"Bản sao đã bị thu hồi ngày {format_local(row.revoked_at, '%d/%m/%Y')}: {row.revoke_reason}"
            ).classes("text-negative font-bold").mark("revoked")
        ui.button(
            "Tải bản sao (PDF)",
            icon="download",
            on_click=lambda i=row.entry_id: ui.download.from_url(f"/download/copy/{i}"),
        ).props(f"color=primary data-testid=download-{row.entry_id}").mark(f"download-{row.entry_id}")
        verify_link_block(row.verify_code)


def recent_copies_widget(user: CurrentUser) -> None:
    rows = citizen_copies(user, limit=3)
    with ui.card().classes("w-full").mark("widget-copies"):
        with ui.row().classes("w-full items-center justify-between"):
            ui.label("Bản sao đã chứng thực gần đây").classes("font-bold")
            ui.button("Xem tất cả", on_click=lambda: ui.navigate.to("/my/copies")).props("flat")
        if not rows:
            ui.label("Chưa có bản sao nào.").classes("text-gray-600")
        for row in rows:
            ui.label(
                f"{format_local(row.issued_at, '%d/%m/%Y')} — {row.document_title} (số {row.number_text})"
                + (" — đã thu hồi" if row.revoked_at else "")
            ).classes("text-sm")
