"""The office's own calendar exceptions: extra days off and make-up working days (OfficeDay)."""
from __future__ import annotations

from nicegui import ui

from app.web.actions import read_now, run_action
from components.admin_common import error_label, show_error
from domain.administration import DAY_KINDS, add_office_day, list_office_days, remove_office_day
from domain.dates import parse_day
from domain.rights import Right


def office_days_section() -> None:
    with ui.card().classes("w-full gap-2"):
        ui.label("Ngày nghỉ thêm và ngày làm việc bù của cơ quan").classes("font-bold")
        ui.label(
            "Ngày lễ, Tết theo quy định đã có sẵn; ở đây chỉ ghi các ngày riêng (ví dụ nghỉ bù 02/01/2026, "
            "làm bù thứ Bảy 10/01/2026)."
        ).classes("text-sm text-gray-700")
        message = error_label("day-error")

        @ui.refreshable
        def days() -> None:
            ok, rows = read_now(list_office_days, right=Right.ADMINISTER, message=message)
            if not ok:
                return
            if not rows:
                ui.label("Chưa có ngày nào.").classes("text-sm").mark("no-days")
            for row in rows:
                with ui.row().classes("w-full items-center justify-between"):
                    ui.label(f"{row.day:%d/%m/%Y} — {DAY_KINDS.get(row.kind, row.kind)}"
                             + (f" ({row.note})" if row.note else "")).mark(f"day-{row.day.isoformat()}")
                    ui.button(icon="delete", on_click=lambda r=row: remove(r.id)).props(
                        "flat color=negative aria-label='Xóa ngày' "
                        f"data-testid=remove-day-{row.day.isoformat()}"
                    ).mark(f"remove-day-{row.day.isoformat()}")

        async def remove(day_id: int) -> None:
            if (await run_action(remove_office_day, day_id, right=Right.ADMINISTER,
                                 record=("office_day", day_id), message=message, success="Đã bỏ ngày.")).ok:
                days.refresh()

        days()
        with ui.row().classes("w-full items-end gap-2 flex-wrap"):
            day = (
                ui.input("Ngày")
                .props("type=date stack-label data-testid=d-day")
                .classes("w-48")
                .mark("d-day")
            )
            kind = ui.select(DAY_KINDS, value="off", label="Loại ngày").classes("w-48").mark("d-kind") \
                .props("data-testid=d-kind")
            note = ui.input("Ghi chú (không bắt buộc)").classes("grow min-w-[12rem]").mark("d-note") \
                .props("data-testid=d-note")

            async def add() -> None:
                try:
                    chosen = parse_day(day.value)
                except ValueError as exc:
                    show_error(message, str(exc))
                    return
                if (await run_action(add_office_day, chosen, kind.value, note.value or "",
                                     right=Right.ADMINISTER, message=message, success="Đã thêm ngày.")).ok:
                    day.value, note.value = "", ""
                    days.refresh()

            ui.button("Thêm ngày", icon="add", on_click=add).mark("add-day").props("data-testid=add-day")
