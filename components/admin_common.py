"""Shared pieces of the administration pages: messages, the pager, the warning about missing
certification rights, date input. Actions and reads go through app.web.actions (run_action, read_now)."""
from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from app.views.admin import right_gaps
from app.web import actions
from domain.admin_scope import Page
from domain.rights import RIGHT_LABELS


def show_error(message: ui.label | None, text: str) -> None:
    """In the page's message label when there is one, else as a notification."""
    actions.show_error(message, text)


def error_label(marker: str) -> ui.label:
    return (
        ui.label("").classes("text-red-700 whitespace-pre-line").mark(marker).props(f"data-testid={marker}")
    )


def pager(page: Page, go: Callable[[int], None], marker: str = "pager") -> None:
    """'Trang 2/5 — 87 kết quả' with previous/next buttons."""
    with ui.row().classes("items-center gap-2"):
        ui.button(icon="chevron_left", on_click=lambda: go(page.page - 1)) \
            .props(f"flat aria-label='Trang trước' data-testid={marker}-prev").mark(f"{marker}-prev") \
            .set_enabled(page.page > 1)
        ui.label(f"Trang {page.page}/{page.pages} — {page.total} kết quả").mark(marker)
        ui.button(icon="chevron_right", on_click=lambda: go(page.page + 1)) \
            .props(f"flat aria-label='Trang sau' data-testid={marker}-next").mark(f"{marker}-next") \
            .set_enabled(page.page < page.pages)


def gaps_warning(office_id: int | None) -> None:
    """C8: while a step of the certification has no holder, nothing can be issued."""
    if office_id is None:
        return
    gaps = right_gaps(office_id)
    if not gaps:
        return
    names = ", ".join(f"«{RIGHT_LABELS[r]}»" for r in gaps)
    with ui.card().classes("w-full bg-orange-50 border border-orange-300"):
        with ui.row().classes("items-center no-wrap"):
            ui.icon("warning").classes("text-orange-800 text-2xl")
            ui.label(
                f"Chưa có công chức đang hoạt động nào giữ {names}: cơ quan chưa thể cấp bản sao chứng thực. "
                "Hãy cấp quyền cho công chức trong trang Quản lý người dùng."
            ).classes("text-orange-900").mark("right-gaps").props("data-testid=right-gaps")


def status_badge(label: str) -> None:
    color = {"Đang hoạt động": "green", "Chưa kích hoạt": "blue-grey", "Đang bị khóa": "orange",
             "Đã vô hiệu hóa": "red"}.get(label, "grey")
    ui.badge(label, color=color).classes("text-sm")
