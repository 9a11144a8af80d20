"""A read-only view of a dossier: requester, originals, deadlines, and the scan pages as small previews.
(The intake editor is elsewhere; this one never changes anything.)"""

from __future__ import annotations

import base64
import logging

from nicegui import run, ui

from app.views.copies import page_preview
from app.views.dossier import DossierView, OriginalView, PageRef
from components.due_badge import due_badge_chip
from domain.clock import format_local
from domain.fees import vnd
from domain.refusal import LEGALISATION_LABELS, ORIGIN_LABELS
from domain.workflow import STATE_LABELS, TERMINAL_STATES

log = logging.getLogger(__name__)

def field_row(label: str, value: object) -> None:
    if value in (None, ""):
        return
    with ui.row().classes("gap-2 no-wrap items-start"):
        ui.label(f"{label}:").classes("text-gray-600 shrink-0")
        ui.label(str(value)).classes("break-words")


def dossier_summary(view: DossierView) -> None:
    """The dossier's data, its state and deadline; the originals with their scans."""
    dossier_header(view)
    for original in view.originals:
        original_card(original)


def dossier_header(view: DossierView) -> None:
    """The dossier's data, its state and deadline: what a step changes (the originals stay as they are)."""
    with ui.card().classes("w-full"):
        with ui.row().classes("w-full items-center justify-between gap-2"):
            ui.label(f"Hồ sơ {view.code}").classes("text-lg font-bold").mark("dossier-code")
            with ui.row().classes("items-center gap-2"):
                ui.badge(STATE_LABELS.get(view.state, view.state), color="primary").classes(
                    "text-sm px-2 py-1"
                ).mark("dossier-state").props("data-testid=dossier-state")
                if view.state not in TERMINAL_STATES:
                    due_badge_chip(view.step_due_at or view.due_at, view.calendar)
        field_row(
            "Người yêu cầu" if view.requester_kind == "person" else "Tổ chức yêu cầu", view.requester_name
        )
        field_row("Người đại diện", view.org_representative)
        field_row("Số định danh", view.requester_id_number)
        field_row("Điện thoại", view.requester_phone)
        field_row("Thư điện tử", view.requester_email)
        field_row("Địa chỉ", view.requester_address)
        field_row("Tiếp nhận lúc", format_local(view.received_at))
        field_row("Hạn trả kết quả", format_local(view.due_at))
        field_row("Lý do gia hạn", view.extension_reason)
        field_row("Hồ sơ phức tạp", "Có" if view.complex else None)
        field_row("Công chức tiếp nhận", view.created_by)
        field_row(
            "Lãnh đạo ký", f"{view.signed_by} — {format_local(view.signed_at)}" if view.signed_by else None
        )
        field_row(
            "Người đóng dấu", f"{view.sealed_by} — {format_local(view.issued_at)}" if view.sealed_by else None
        )
        if view.return_comment and view.state == "returned":
            field_row("Nội dung cần bổ sung", view.return_comment)


def original_card(original: OriginalView) -> None:
    """The original's details on the left, its scan pages beside them (below on a narrow screen)."""
    with ui.card().classes("w-full"):
        ui.label(f"Bản chính: {original.title}").classes("font-bold")
        with ui.row().classes("w-full gap-4 items-start flex-wrap md:flex-nowrap"):
            with ui.column().classes("gap-1 w-full md:w-80 shrink-0"):
                field_row("Loại giấy tờ", original.doc_type)
                field_row("Cơ quan cấp", original.issuer)
                field_row("Ngày cấp", original.issue_date)
                field_row("Nguồn gốc", ORIGIN_LABELS.get(original.origin, original.origin))
                field_row("Hợp pháp hóa lãnh sự", LEGALISATION_LABELS.get(original.legalisation or "", None))
                field_row("Số trang bản chính", original.pages)
                field_row("Số bản sao", original.copies)
                field_row("Phí", vnd(original.fee))
                field_row(
                    "Bản scan do",
                    "công chức thực hiện"
                    if original.scan_source == "official"
                    else "người yêu cầu cung cấp (đã đối chiếu)",
                )
            with ui.column().classes("grow gap-1"):
                ui.label(f"Bản scan ({len(original.scan_pages)} trang)").classes("text-sm text-gray-600")
                scan_gallery(original.scan_pages)


GALLERY_BATCH = 24  # previews built at once: a 1,000-page original must not hold the event loop (issue 35)


def scan_gallery(pages: list[PageRef]) -> None:
    """Small previews of the scan pages, 24 at a time, loaded after the page shows; a click opens a larger
    one; «Xem thêm» shows the next ones."""
    if not pages:
        ui.label("Chưa có bản scan.").classes("text-negative")
        return
    _Gallery(pages)


class _Gallery:
    def __init__(self, pages: list[PageRef]):
        self.pages, self.shown = pages, 0
        self.grid = ui.row().classes("w-full gap-2 flex-wrap")
        self.more = ui.button(on_click=self.show_next).props("outline data-testid=more-previews")
        self.show_next()

    def show_next(self) -> None:
        batch = list(enumerate(self.pages[self.shown:self.shown + GALLERY_BATCH], start=self.shown + 1))
        holders = []
        with self.grid:
            for n, ref in batch:
                with ui.column().classes("items-center gap-1"):
                    holder = ui.column().classes("w-40 sm:w-48")
                    with holder:
                        ui.skeleton().classes("w-40 h-56")
                    ui.label(f"Trang {n}").classes("text-xs text-gray-600")
                holders.append((n, holder, ref))
        self.shown += len(batch)
        left = len(self.pages) - self.shown
        self.more.set_text(f"Xem thêm {min(left, GALLERY_BATCH)} trang (còn {left} trang)")
        self.more.set_visibility(left > 0)
        ui.timer(0.05, lambda: _load(holders), once=True)


async def _load(holders: list) -> None:
    for n, holder, ref in holders:
        if holder.is_deleted:  # the page was left or redrawn meanwhile
            return
        try:
            data = await run.io_bound(page_preview, ref.sha256, ref.page_index, ref.rotation)
        except Exception:  # noqa: BLE001 — a missing or broken file shows as such, the page stays usable
            log.warning("preview of %s page %s failed", ref.sha256, ref.page_index, exc_info=True)
            data = None
        holder.clear()
        with holder:
            if data is None:
                ui.label("Không đọc được trang này.").classes("text-negative text-sm")
                continue
            ui.image(_data_url(data)).classes("w-full border cursor-pointer").props(
                f'data-testid=preview-{n} alt="Trang {n}"'
            ).on("click", lambda r=ref: show_large(r)).mark("scan-preview")


async def show_large(ref: PageRef) -> None:
    data = await run.io_bound(page_preview, ref.sha256, ref.page_index, ref.rotation, 1100)
    with ui.dialog().props("maximized") as dialog, ui.card().classes("w-full items-center"):
        ui.button("Đóng", icon="close", on_click=dialog.close).props("flat")
        ui.image(_data_url(data)).classes("w-full max-w-4xl")
    dialog.open()


def _data_url(jpeg: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode()
