"""A work queue of dossiers (leader's signature, seal): soonest due first, server-side paging, select
several and act on them one by one with a result per dossier (each through app.actions.run_action)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from nicegui import ui

from app.actions import run_action
from app.queues import QueuePage, queue_page
from components.due_badge import due_badge_chip
from components.remote_sign import approve_remote, end_remote
from domain.access import AccessDenied, CurrentUser
from domain.clock import format_local
from domain.deadlines import BADGE_ON_TIME


@dataclass(frozen=True)
class QueueSpec:
    state: str
    path: str  # list path; a dossier opens at {path}/{id}
    action_label: str  # "Ký số"
    action_icon: str
    empty_text: str
    right: str  # checked afresh at every click (app.actions.run_action)
    act: Callable[[CurrentUser, int, str], str]  # a service with its own transactions; raises on refusal
    after: Callable[[], None] | None = None  # on the event loop after a success (e.g. start delivery)
    remote_role: str | None = None  # "leader"/"office": a remote (CSC) key asks one PIN/OTP approval first


def queue_list(user: CurrentUser, spec: QueueSpec, addr: str) -> None:
    """The list with paging, checkboxes and the batch action."""
    state = {"page": 1, "selected": set()}
    results = ui.column().classes("w-full gap-1").mark("queue-results")
    with ui.row().classes("w-full items-center gap-2"):
        batch = (
            ui.button(
                f"{spec.action_label} các hồ sơ đã chọn",
                icon=spec.action_icon,
                on_click=lambda: act_on(sorted(state["selected"])),
            )
            .props("color=primary data-testid=batch-action")
            .mark("batch-action")
        )
        ui.button("Chọn các hồ sơ còn hạn", icon="done_all", on_click=lambda: select_on_time()) \
            .props("flat data-testid=select-on-time").mark("select-on-time")
        spinner = ui.spinner(size="lg").classes("hidden")
        ui.button("Làm mới", icon="refresh", on_click=lambda: show()).props("flat")
    listing = ui.column().classes("w-full gap-2")

    def show() -> None:
        data: QueuePage = queue_page(user, spec.state, state["page"])
        state["page"] = data.page
        state["rows"] = data.rows
        state["selected"] &= {r.id for r in data.rows}
        batch.set_enabled(bool(state["selected"]))
        listing.clear()
        with listing:
            ui.label(f"{data.total} hồ sơ").classes("text-gray-600").mark("queue-total")
            if not data.rows:
                ui.label(spec.empty_text).classes("text-gray-700").mark("queue-empty")
            for row in data.rows:
                with ui.card().classes("w-full").props(f"data-testid=row-{row.id}"):
                    with ui.row().classes("w-full items-center gap-2 justify-between"):
                        with ui.row().classes("items-center gap-2 no-wrap"):
                            ui.checkbox(
                                value=row.id in state["selected"],
                                on_change=lambda e, i=row.id: toggle(i, e.value),
                            ).props(f"data-testid=select-{row.id} aria-label='Chọn hồ sơ {row.code}'").mark(
                                f"select-{row.id}"
                            )
                            with ui.column().classes("gap-0"):
                                ui.label(f"{row.code} — {row.requester_name}").classes("font-medium")
                                ui.label(
                                    f"{row.originals} bản chính, {row.pages} trang · tiếp nhận "
                                    f"{format_local(row.received_at)}"
                                ).classes("text-sm text-gray-600")
                                if row.return_comment:
                                    ui.label(f"Từng trả lại: {row.return_comment}").classes(
                                        "text-sm text-amber-800"
                                    )
                        with ui.row().classes("items-center gap-2"):
                            due_badge_chip(row.due_at, data.calendar, kind=row.badge)
                            ui.button(
                                "Mở",
                                icon="open_in_new",
                                on_click=lambda i=row.id: ui.navigate.to(f"{spec.path}/{i}"),
                            ).props(f"outline data-testid=open-{row.id}").mark(f"open-{row.id}")
            if data.pages > 1:
                ui.pagination(
                    1, data.pages, direction_links=True, value=data.page, on_change=lambda e: go(e.value)
                ).mark("pager")

    def toggle(dossier_id: int, on: bool) -> None:
        (state["selected"].add if on else state["selected"].discard)(dossier_id)
        batch.set_enabled(bool(state["selected"]))

    def select_on_time() -> None:
        state["selected"] |= {r.id for r in state.get("rows", []) if r.badge == BADGE_ON_TIME}
        show()

    def go(page: int) -> None:
        state["page"] = page
        show()

    async def act_on(ids: list[int]) -> None:
        if not ids:
            ui.notify("Chưa chọn hồ sơ nào.", type="warning")
            return
        batch.set_enabled(False)
        results.clear()
        if spec.remote_role and not await approve_remote(user, spec.remote_role, ids, addr):
            batch.set_enabled(True)
            return
        spinner.classes(remove="hidden")
        progress = batch_progress(results, len(ids))
        try:
            for done_count, dossier_id in enumerate(ids, start=1):
                text, ok, halted = await perform(spec, dossier_id, addr)
                with results:
                    result_line(text, ok)
                if halted:  # signed out, disabled or the right withdrawn: the tab is being sent away
                    return
                progress(done_count)
        finally:
            if spec.remote_role:
                end_remote(user, spec.remote_role)
        spinner.classes(add="hidden")
        state["selected"].clear()
        show()

    show()


async def perform(spec: QueueSpec, dossier_id: int, addr: str) -> tuple[str, bool, bool]:
    """(result text, success, halted) for one dossier; the failure is shown as its line, not notified."""
    done = await run_action(spec.act, dossier_id, addr, tx="own", right=spec.right, record=("dossier", dossier_id),
                            notify=False)
    if not done.ok:
        return f"Hồ sơ #{dossier_id}: {done.error}", False, done.halted
    if spec.after is not None:
        spec.after()
    return done.value, True, False


def batch_progress(container, total: int):
    """A progress bar over the batch's results; returns the function that moves it."""
    with container:
        label = ui.label(f"Đang xử lý 0/{total} hồ sơ").classes("text-sm").mark("batch-progress-text")
        bar = ui.linear_progress(value=0, show_value=False).props("instant-feedback data-testid=batch-progress") \
            .mark("batch-progress")

    def advance(done: int) -> None:
        bar.set_value(done / total if total else 1)
        label.set_text(f"Đã xử lý {done}/{total} hồ sơ" if done >= total else f"Đang xử lý {done}/{total} hồ sơ")

    return advance


def result_line(text: str, ok: bool) -> None:
    with ui.row().classes("items-center gap-2 no-wrap"):
        ui.icon("check_circle" if ok else "error", color="positive" if ok else "negative")
        ui.label(text).classes("text-positive" if ok else "text-negative").mark(
            "result-ok" if ok else "result-error"
        )


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
    from app.copies import dossier_view, return_dossier
    from components.dossier_view import dossier_summary
    from domain.workflow import STATE_LABELS

    try:
        view = dossier_view(user, dossier_id)
    except AccessDenied as exc:
        ui.label(exc.message).classes("text-negative").mark("not-found")
        ui.button("Về danh sách", icon="arrow_back", on_click=lambda: ui.navigate.to(spec.path))
        return
    results = ui.column().classes("w-full gap-1").mark("queue-results")
    with ui.row().classes("w-full items-center gap-2"):
        ui.button("Về danh sách", icon="arrow_back", on_click=lambda: ui.navigate.to(spec.path)).props("flat")
        if view.state == spec.state:
            main = (
                ui.button(spec.action_label, icon=spec.action_icon, on_click=lambda: act())
                .props("color=primary data-testid=do-action")
                .mark("do-action")
            )
            back = (
                ui.button("Trả lại để bổ sung", icon="undo", on_click=lambda: dialog.open())
                .props("outline color=warning data-testid=return")
                .mark("return")
            )
            spinner = ui.spinner(size="lg").classes("hidden")
        else:
            ui.label(
                f"Hồ sơ đang ở trạng thái «{STATE_LABELS.get(view.state, view.state)}»; "
                "không còn trong danh sách này."
            ).classes("text-amber-800").mark("not-in-queue")

    def done(text: str, ok: bool) -> None:
        with results:
            result_line(text, ok)
        if ok:
            main.set_visibility(False)
            back.set_visibility(False)
            show_summary()  # the state chip and data must say what just happened

    async def act() -> None:
        main.set_enabled(False)
        if spec.remote_role and not await approve_remote(user, spec.remote_role, [dossier_id], addr):
            main.set_enabled(True)
            return
        spinner.classes(remove="hidden")
        try:
            text, ok, _ = await perform(spec, dossier_id, addr)
        finally:
            if spec.remote_role:
                end_remote(user, spec.remote_role)
        spinner.classes(add="hidden")
        main.set_enabled(True)
        done(text, ok)

    async def send_back(comment: str) -> None:
        if not (await run_action(return_dossier, dossier_id, comment, addr, tx="own", right=spec.right,
                                 record=("dossier", dossier_id))).ok:
            return
        dialog.close()
        done(f"Đã trả lại hồ sơ {view.code} cho công chức tiếp nhận để bổ sung.", True)

    dialog = return_dialog(send_back)
    summary_box = ui.column().classes("w-full gap-2")

    def show_summary() -> None:
        summary_box.clear()
        with summary_box:
            dossier_summary(dossier_view(user, dossier_id))

    show_summary()
