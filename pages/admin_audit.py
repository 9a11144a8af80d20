"""Nhật ký hệ thống: who did what, when, to which record; filtered and paged on the server; XLSX export."""
from __future__ import annotations

from nicegui import ui

from app.audit_export import audit_xlsx
from app.web.actions import read_now, run_action
from components.admin_common import error_label, pager, show_error
from components.frame import frame, official_page
from domain.admin_audit_search import TARGET_LABELS
from domain.administration import AuditFilter, action_label, audit_actions, events_for_export, search_audit
from domain.clock import format_local, utcnow
from domain.dates import parse_day
from domain.errors import DomainError
from domain.rights import Right


@official_page("/admin/audit", right=Right.ADMINISTER)
def audit_page(user) -> None:
    state = {"filter": AuditFilter(), "page": 1}
    with frame("Nhật ký hệ thống", user):
        ok, actions = read_now(audit_actions, right=Right.ADMINISTER)
        options = {"": "Tất cả thao tác", **{a: action_label(a) for a in (actions if ok else [])}}
        # The buttons call apply/export defined below, once the inputs exist.
        who, action, target, date_from, date_to = filter_inputs(
            options, on_apply=lambda: apply(), on_export=lambda: export()
        )
        message = error_label("audit-error")

        def current_filter() -> AuditFilter | None:
            try:
                start, end = parse_day(date_from.value), parse_day(date_to.value)
            except DomainError as exc:
                show_error(message, exc.message)
                return None
            return AuditFilter(who.value or "", action.value or "", start, end, target.value or "")

        def apply() -> None:
            flt = current_filter()
            if flt is not None:
                state.update(filter=flt, page=1)
                results.refresh()

        def go(page: int) -> None:
            state["page"] = page
            results.refresh()

        async def export() -> None:
            flt = current_filter()
            if flt is not None:
                await download_events(flt, message)

        @ui.refreshable
        def results() -> None:
            ok, page = read_now(
                search_audit, state["filter"], state["page"], right=Right.ADMINISTER, message=message
            )
            if not ok:
                return
            if not page.items:
                ui.label("Không có sự kiện nào khớp bộ lọc.").mark("no-events")
            for event in page.items:
                event_row(event)
            pager(page, go)

        results()


def filter_inputs(options: dict, on_apply, on_export) -> tuple:
    """The filter rows: (who, action, target, date_from, date_to), with the «Lọc» and «Xuất XLSX» buttons."""
    with ui.row().classes("w-full items-end gap-2 flex-wrap"):
        who = ui.input("Người thực hiện (tên hoặc tên đăng nhập)").classes("w-full sm:w-64") \
            .mark("a-actor").props("clearable data-testid=a-actor")
        action = (
            ui.select(options, value="", label="Thao tác", with_input=True)
            .classes("w-full sm:w-64")
            .mark("a-action")
            .props("data-testid=a-action")
        )
        target = ui.input("Đối tượng (tên đăng nhập, mã, hoặc loại:mã)").classes("w-full sm:w-64") \
            .mark("a-target").props("clearable data-testid=a-target")
    with ui.row().classes("w-full items-end gap-2 flex-wrap"):
        date_from = (
            ui.input("Từ ngày")
            .props("type=date stack-label data-testid=a-from")
            .classes("w-44")
            .mark("a-from")
        )
        date_to = (
            ui.input("Đến ngày")
            .props("type=date stack-label data-testid=a-to")
            .classes("w-44")
            .mark("a-to")
        )
        ui.button("Lọc", icon="filter_alt", on_click=on_apply).mark("a-apply").props("data-testid=a-apply")
        ui.button("Xuất XLSX", icon="download", on_click=on_export).props(
            "outline data-testid=a-export"
        ).mark("a-export")
    return who, action, target, date_from, date_to


async def download_events(flt: AuditFilter, message) -> None:
    ok, events = await run_action(
        events_for_export, flt, right=Right.ADMINISTER, message=message
    )
    if ok:
        ui.download.content(
            audit_xlsx(events),
            f"nhat-ky-he-thong-{format_local(utcnow(), '%Y%m%d-%H%M')}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


def event_row(event) -> None:
    with ui.card().classes("w-full gap-0 py-2").mark("audit-event"):
        with ui.row().classes("w-full gap-x-3 gap-y-0 flex-wrap items-baseline"):
            ui.label(format_local(event.at, "%d/%m/%Y %H:%M:%S")).classes("text-sm text-gray-700")
            ui.label(event.actor_name or "—").classes("font-medium")
            ui.label(action_label(event.action)).classes("text-blue-900")
            if event.target_type:
                ui.label(f"{TARGET_LABELS.get(event.target_type, event.target_type)} #{event.target_id}") \
                    .classes("text-sm text-gray-700")
            if event.client_addr:
                ui.label(event.client_addr).classes("text-xs text-gray-500")
        if event.summary:
            ui.label(event.summary).classes("text-sm break-words")
