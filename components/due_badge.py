"""The deadline badge shared by queues and dashboards:
Trong hạn (green) / Sắp đến hạn (amber) / Quá hạn (red).

due_badge_chip(dossier.step_due_at or dossier.due_at, office_calendar)   # draws a ui.badge
"""

from __future__ import annotations

from datetime import datetime

from nicegui import ui

from app.views.queues import badge_for
from domain.calendar import OfficeCalendar
from domain.clock import format_local
from domain.deadlines import BADGE_DUE_SOON, BADGE_LABELS, BADGE_ON_TIME, BADGE_OVERDUE

BADGE_COLORS = {BADGE_ON_TIME: "positive", BADGE_DUE_SOON: "warning", BADGE_OVERDUE: "negative"}
BADGE_ICONS = {BADGE_ON_TIME: "schedule", BADGE_DUE_SOON: "alarm", BADGE_OVERDUE: "error"}


def due_badge_chip(
    due_at: datetime | None,
    office_calendar: OfficeCalendar | None,
    *,
    now: datetime | None = None,
    kind: str | None = None,
    show_time: bool = True,
) -> ui.badge | None:
    """A coloured badge for a deadline (stored UTC, aware or naive); `kind` skips the computation."""
    if due_at is None:
        return None
    kind = kind or badge_for(due_at, office_calendar or OfficeCalendar(), now)
    text = BADGE_LABELS[kind] + (f" · hạn {format_local(due_at, '%H:%M %d/%m')}" if show_time else "")
    return (
        ui.badge(text, color=BADGE_COLORS[kind])
        .classes("text-sm px-2 py-1")
        .props(f"data-testid=due-{kind}")
        .mark(f"due-{kind}")
    )


def badge_counts_row(counts: dict[str, int]) -> None:
    """Three coloured counts: on time, due soon, overdue."""
    with ui.row().classes("gap-2 flex-wrap"):
        for kind in (BADGE_ON_TIME, BADGE_DUE_SOON, BADGE_OVERDUE):
            ui.badge(f"{BADGE_LABELS[kind]}: {counts.get(kind, 0)}", color=BADGE_COLORS[kind]).classes(
                "text-sm px-2 py-1"
            )
