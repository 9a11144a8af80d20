"""A work queue of dossiers (leader's signature, seal): soonest due first, server-side paging, select
several and act on them one by one with a result per dossier (each through app.web.actions.run_steps)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nicegui import run, ui

from app.views.queues import QueuePage, QueueRow, queue_page
from app.web.actions import run_action
from components.dossier_view import dossier_header, original_card
from components.due_badge import due_badge_chip
from components.queue_perform import approved, perform, result_line
from components.remote_sign import end_remote
from domain import certification
from domain.access import AccessDenied, CurrentUser
from domain.clock import format_local
from domain.deadlines import BADGE_ON_TIME

if TYPE_CHECKING:
    from app.views.dossier import DossierView


@dataclass(frozen=True)
class QueueSpec:
    state: str
    path: str  # list path; a dossier opens at {path}/{id}
    action_label: str  # "Ký số"
    action_icon: str
    empty_text: str
    right: str  # checked afresh at every click (app.web.actions.run_action)
    act: Callable[..., str]  # (units, user, dossier_id, addr, progress=…): one unit of work per step
    after: Callable[[], None] | None = None  # on the event loop after a success (e.g. start delivery)
    remote_role: str | None = None  # "leader"/"office": a remote (CSC) key asks one PIN/OTP approval first


def queue_list(user: CurrentUser, spec: QueueSpec, addr: str) -> None:
    """The list with paging, checkboxes and the batch action."""
    QueueList(user, spec, addr).show()


class QueueList:
    def __init__(self, user: CurrentUser, spec: QueueSpec, addr: str):
        self.user, self.spec, self.addr = user, spec, addr
        self.page, self.selected, self.rows = 1, set(), []
        self.results = ui.column().classes("w-full gap-1").mark("queue-results")
        with ui.row().classes("w-full items-center gap-2"):
            self.batch = ui.button(f"{spec.action_label} các hồ sơ đã chọn", icon=spec.action_icon,
                                   on_click=lambda: self.act_on(sorted(self.selected))) \
                .props("color=primary data-testid=batch-action").mark("batch-action")
            ui.button("Chọn các hồ sơ còn hạn", icon="done_all", on_click=self.select_on_time) \
                .props("flat data-testid=select-on-time").mark("select-on-time")
            self.spinner = ui.spinner(size="lg").classes("hidden")
            ui.button("Làm mới", icon="refresh", on_click=self.refresh).props("flat")
        self.listing = ui.column().classes("w-full gap-2")

    def show(self) -> None:
        """At the page's build (read here, as the page's other reads)."""
        self.draw(queue_page(self.user, self.spec.state, self.page))

    async def refresh(self) -> None:
        """After a click: the queue is read in a worker thread, so other tablets' round trips do not wait."""
        self.draw(await run.io_bound(queue_page, self.user, self.spec.state, self.page))

    def draw(self, data: QueuePage) -> None:
        self.data, self.page, self.rows = data, data.page, data.rows
        self.selected &= {r.id for r in data.rows}
        self.batch.set_enabled(bool(self.selected))
        self.listing.clear()
        with self.listing:
            ui.label(f"{data.total} hồ sơ").classes("text-gray-600").mark("queue-total")
            if not data.rows:
                ui.label(self.spec.empty_text).classes("text-gray-700").mark("queue-empty")
            for row in data.rows:
                self._row(row, data.calendar)
            if data.pages > 1:
                ui.pagination(1, data.pages, direction_links=True, value=data.page,
                              on_change=lambda e: self.go(e.value)).mark("pager")

    def _row(self, row: QueueRow, calendar) -> None:
        with ui.card().classes("w-full").props(f"data-testid=row-{row.id}"):
            with ui.row().classes("w-full items-center gap-2 justify-between"):
                with ui.row().classes("items-center gap-2 no-wrap"):
                    ui.checkbox(
                        value=row.id in self.selected, on_change=lambda e, i=row.id: self.toggle(i, e.value)
                    ).props(f"data-testid=select-{row.id} aria-label='Chọn hồ sơ {row.code}'").mark(
                        f"select-{row.id}"
                    )
                    with ui.column().classes("gap-0"):
                        ui.label(f"{row.code} — {row.requester_name}").classes("font-medium")
                        ui.label(f"{row.originals} bản chính, {row.pages} trang · tiếp nhận "
                                 f"{format_local(row.received_at)}").classes("text-sm text-gray-600")
                        if row.return_comment:
                            ui.label(f"Từng trả lại: {row.return_comment}").classes("text-sm text-amber-800")
                with ui.row().classes("items-center gap-2"):
                    due_badge_chip(row.due_at, calendar, kind=row.badge)
                    ui.button(
                        "Mở",
                        icon="open_in_new",
                        on_click=lambda i=row.id: ui.navigate.to(f"{self.spec.path}/{i}"),
                    ).props(f"outline data-testid=open-{row.id}").mark(f"open-{row.id}")

    def toggle(self, dossier_id: int, on: bool) -> None:
        (self.selected.add if on else self.selected.discard)(dossier_id)
        self.batch.set_enabled(bool(self.selected))

    def select_on_time(self) -> None:
        self.selected |= {r.id for r in self.rows if r.badge == BADGE_ON_TIME}
        self.draw(self.data)  # the rows on screen, ticked: nothing to read again

    async def go(self, page: int) -> None:
        self.page = page
        await self.refresh()

    async def act_on(self, ids: list[int]) -> None:
        if not ids:
            ui.notify("Chưa chọn hồ sơ nào.", type="warning")
            return
        spec, user = self.spec, self.user
        self.batch.set_enabled(False)
        self.results.clear()
        try:
            if spec.remote_role and not await approved(user, spec.remote_role, ids, self.addr, self.results):
                return
            self.spinner.classes(remove="hidden")
            progress = batch_progress(self.results, len(ids))
            for done_count, dossier_id in enumerate(ids, start=1):
                text, ok, halted = await perform(spec, dossier_id, self.addr, self.results)
                with self.results:
                    result_line(text, ok)
                if halted:  # signed out, disabled or the right withdrawn: the tab is being sent away
                    return
                progress(done_count)
        finally:
            if spec.remote_role:
                end_remote(user, spec.remote_role)
            self.spinner.classes(add="hidden")  # however the batch ended: no spinner left turning
            self.batch.set_enabled(bool(self.selected))
        self.selected.clear()
        await self.refresh()


def batch_progress(container, total: int):
    """A progress bar over the batch's results; returns the function that moves it."""
    with container:
        label = ui.label(f"Đang xử lý 0/{total} hồ sơ").classes("text-sm").mark("batch-progress-text")
        bar = (
            ui.linear_progress(value=0, show_value=False)
            .props("instant-feedback data-testid=batch-progress")
            .mark("batch-progress")
        )

    def advance(done: int) -> None:
        bar.set_value(done / total if total else 1)
        label.set_text(
            f"Đã xử lý {done}/{total} hồ sơ" if done >= total else f"Đang xử lý {done}/{total} hồ sơ"
        )

    return advance


def return_dialog(on_confirm: Callable[[str], Awaitable[None]]) -> ui.dialog:
    """Ask for the comment of a return for correction."""
    with ui.dialog() as dialog, ui.card().classes("w-full max-w-lg"):
        ui.label("Trả lại hồ sơ để bổ sung, chỉnh sửa").classes("font-bold")
        comment = (
            ui.textarea("Nội dung cần bổ sung, chỉnh sửa")
            .classes("w-full")
            .props("data-testid=return-comment autogrow")
            .mark("return-comment")
        )
        with ui.row().classes("w-full justify-end gap-2"):
            ui.button("Hủy", on_click=dialog.close).props("flat")

            async def confirm() -> None:
                await on_confirm(comment.value or "")

            ui.button("Trả lại", icon="undo", on_click=confirm).props(
                "color=warning data-testid=return-confirm"
            ).mark("return-confirm")
    return dialog


def queue_detail(user: CurrentUser, spec: QueueSpec, dossier_id: int, addr: str) -> None:
    """One dossier of the queue: the action, the return for correction, and the read-only data and scans."""
    from app.views.dossier import dossier_view

    try:
        view = dossier_view(user, dossier_id)
    except AccessDenied as exc:
        ui.label(exc.message).classes("text-negative").mark("not-found")
        ui.button("Về danh sách", icon="arrow_back", on_click=lambda: ui.navigate.to(spec.path))
        return
    QueueDetail(user, spec, view, addr)


class QueueDetail:
    def __init__(self, user: CurrentUser, spec: QueueSpec, view, addr: str):
        from domain.workflow import STATE_LABELS

        self.user, self.spec, self.dossier_id, self.code, self.addr = user, spec, view.id, view.code, addr
        self.results = ui.column().classes("w-full gap-1").mark("queue-results")
        with ui.row().classes("w-full items-center gap-2"):
            ui.button("Về danh sách", icon="arrow_back", on_click=lambda: ui.navigate.to(spec.path)).props(
                "flat"
            )
            if view.state == spec.state:
                self.main = ui.button(spec.action_label, icon=spec.action_icon, on_click=self.act) \
                    .props("color=primary data-testid=do-action").mark("do-action")
                self.back = (
                    ui.button("Trả lại để bổ sung", icon="undo", on_click=lambda: self.dialog.open())
                    .props("outline color=warning data-testid=return")
                    .mark("return")
                )
                self.spinner = ui.spinner(size="lg").classes("hidden")
            else:
                ui.label(f"Hồ sơ đang ở trạng thái «{STATE_LABELS.get(view.state, view.state)}»; "
                         "không còn trong danh sách này.").classes("text-amber-800").mark("not-in-queue")
        self.dialog = return_dialog(self.send_back)
        with ui.column().classes("w-full gap-2"):
            self.header_box = ui.column().classes("w-full gap-2")
            self.show_header(view)
            for original in view.originals:
                original_card(original)

    def show_header(self, view: DossierView) -> None:
        """The dossier's state and data; after a step only these are redrawn, not the scans."""
        self.header_box.clear()
        with self.header_box:
            dossier_header(view)

    async def done(self, text: str, ok: bool) -> None:
        from app.views.dossier import dossier_view

        with self.results:
            result_line(text, ok)
        if ok:
            self.main.set_visibility(False)
            self.back.set_visibility(False)
            # the state chip and data must say what just happened; read off the event loop
            self.show_header(await run.io_bound(dossier_view, self.user, self.dossier_id))

    async def act(self) -> None:
        spec, ids = self.spec, [self.dossier_id]
        self.main.set_enabled(False)
        try:
            if spec.remote_role and not await approved(self.user, spec.remote_role, ids, self.addr,
                                                       self.results):
                return
            self.spinner.classes(remove="hidden")
            text, ok, _ = await perform(spec, self.dossier_id, self.addr, self.results)
        finally:
            if spec.remote_role:
                end_remote(self.user, spec.remote_role)
            self.spinner.classes(add="hidden")  # however it ended: the button usable again
            self.main.set_enabled(True)
        await self.done(text, ok)

    async def send_back(self, comment: str) -> None:
        if not (
            await run_action(
                certification.return_for_correction,
                self.dossier_id,
                comment,
                self.addr,
                right=self.spec.right,
                record=("dossier", self.dossier_id),
            )
        ).ok:
            return
        self.dialog.close()
        await self.done(f"Đã trả lại hồ sơ {self.code} cho công chức tiếp nhận để bổ sung.", True)
