"""A refused dossier as the citizen sees it: the legal ground (clause of Art. 22, Decree 23/2015), the
clerk's explanation, and the written notice to download — on the home page and under the copies."""
from __future__ import annotations

from nicegui import ui

from app.outbox.citizen_notices import RefusalRow, citizen_refusals, refusal_notice_for
from domain.access import CurrentUser
from domain.clock import format_local


def refusal_card(user: CurrentUser, row: RefusalRow) -> None:
    def download() -> None:
        found = refusal_notice_for(user, row.dossier_id)  # checked again on the server at the click
        if found is None:
            ui.notify("Không tìm thấy thông báo.", type="negative")
            return
        name, data = found
        ui.download.content(data, name, "application/pdf")

    with ui.card().classes("w-full border-2 border-red-300").props(f"data-testid=refusal-{row.dossier_code}"):
        ui.label(f"Hồ sơ {row.dossier_code} bị từ chối chứng thực").classes("font-bold text-red-800")
        ui.label(f"{row.office_name} · ngày {format_local(row.refused_at, '%d/%m/%Y')}").classes("text-sm")
        for citation, text in row.grounds:
            ui.label(f"Căn cứ: {citation}").classes("text-sm font-bold").mark(f"ground-{row.dossier_code}")
            ui.label(text).classes("text-sm")
        if row.note:
            ui.label(f"Giải thích của cán bộ: {row.note}").classes("text-sm text-gray-700")
        if row.has_notice:
            ui.button("Tải thông báo bằng văn bản (PDF)", icon="download", on_click=download) \
                .props(f"outline data-testid=notice-{row.dossier_code}").mark(f"notice-{row.dossier_code}")
        else:
            ui.label("Thông báo bằng văn bản được trả tại Bộ phận Một cửa.").classes("text-sm text-gray-600")


def refusals_widget(user: CurrentUser) -> None:
    """On the citizen's home: their refused dossiers, each with its ground and notice (none: nothing)."""
    rows = citizen_refusals(user, limit=3)
    if not rows:
        return
    with ui.column().classes("w-full gap-2").mark("widget-refusals"):
        ui.label("Hồ sơ bị từ chối chứng thực").classes("text-lg font-bold text-red-800")
        for row in rows:
            refusal_card(user, row)
