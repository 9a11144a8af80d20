"""Deadlines of a certification request (SPEC C4, C10–C12 in docs/requirements.md).

All results are aware datetimes in Asia/Ho_Chi_Minh; naive inputs are local wall time.
"""

from __future__ import annotations

from datetime import datetime, time

from domain.calendar import OfficeCalendar, to_local
from domain.errors import DomainError

# Received before this time on a working day -> due the same day (Decree 23 Art. 7).
SAME_DAY_CUTOFF = time(15, 0)
# Extension without the requester's written agreement: at most this many working days.
MAX_EXTENSION_WITHOUT_AGREEMENT = 2

STEP_INTAKE = "intake"  # step 2, certifying official
STEP_LEADER = "leader"  # step 3, leader signs
STEP_SEAL = "seal"  # step 4, seal keeper issues the number and seals
STEP_BUDGET_HOURS: dict[str, float] = {STEP_INTAKE: 4, STEP_LEADER: 2, STEP_SEAL: 2}
STEP_BUDGET_HOURS_COMPLEX: dict[str, float] = {STEP_INTAKE: 16, STEP_LEADER: 2, STEP_SEAL: 2}

BADGE_ON_TIME = "on_time"
BADGE_DUE_SOON = "due_soon"
BADGE_OVERDUE = "overdue"
BADGE_LABELS: dict[str, str] = {
    BADGE_ON_TIME: "Trong hạn",
    BADGE_DUE_SOON: "Sắp đến hạn",
    BADGE_OVERDUE: "Quá hạn",
}
DUE_SOON_WORKING_HOURS = 1.0


class ExtensionRefused(DomainError, ValueError):
    """An extension the rules do not allow; `message` is shown to the official."""


def _calendar(calendar: OfficeCalendar | None) -> OfficeCalendar:
    return calendar if calendar is not None else OfficeCalendar()


def result_due(received_at: datetime, calendar: OfficeCalendar | None = None) -> datetime:
    """When the result is due: closing time the same working day if received before 15:00
    (and before closing), else closing time of the next working day."""
    cal = _calendar(calendar)
    local = to_local(received_at)
    day = local.date()
    if (
        cal.is_working_day(day)
        and local.time() < SAME_DAY_CUTOFF
        and local < cal.end_of_day(day)  # e.g. a Saturday reception closing at 12:00
    ):
        return cal.end_of_day(day)
    return cal.end_of_day(cal.next_working_day(day))


def extend_due(
    due: datetime,
    working_days: int,
    calendar: OfficeCalendar | None = None,
    *,
    written_agreement: bool = False,
) -> datetime:
    """Move `due` to closing time `working_days` working days later (C4).

    More than 2 working days needs the requester's written agreement; the caller records
    the reason and the agreement.
    """
    if isinstance(working_days, bool) or not isinstance(working_days, int) or working_days < 1:
        raise ExtensionRefused("Số ngày gia hạn phải là số nguyên dương.")
    if working_days > MAX_EXTENSION_WITHOUT_AGREEMENT and not written_agreement:
        raise ExtensionRefused(
            f"Chỉ được gia hạn tối đa {MAX_EXTENSION_WITHOUT_AGREEMENT} ngày làm việc; "
            "gia hạn lâu hơn cần có thỏa thuận bằng văn bản với người yêu cầu chứng thực."
        )
    cal = _calendar(calendar)
    day = to_local(due).date()
    for _ in range(working_days):
        day = cal.next_working_day(day)
    return cal.end_of_day(day)


def step_due(
    step: str,
    started_at: datetime,
    calendar: OfficeCalendar | None = None,
    complex: bool = False,
) -> datetime:
    """When a workflow step (intake, leader, seal) is due, counted in working hours.

    `complex` (many originals, many pages, content hard to check) only widens intake.
    """
    budgets = STEP_BUDGET_HOURS_COMPLEX if complex else STEP_BUDGET_HOURS
    if step not in budgets:
        raise ValueError(f"unknown step {step!r}; expected one of {sorted(budgets)}")
    return _calendar(calendar).add_working_hours(started_at, budgets[step])


def due_badge(due: datetime, now: datetime, calendar: OfficeCalendar | None = None) -> str:
    """on_time, due_soon (due within one working hour from now) or overdue (past due)."""
    if to_local(now) > to_local(due):
        return BADGE_OVERDUE
    if _calendar(calendar).working_hours_between(now, due) <= DUE_SOON_WORKING_HOURS:
        return BADGE_DUE_SOON
    return BADGE_ON_TIME


def needs_appointment_slip(received_at: datetime, due: datetime) -> bool:
    """True when the result is not returned the same (local) day: the requester gets a
    phiếu hẹn with the hour and date."""
    return to_local(due).date() != to_local(received_at).date()
