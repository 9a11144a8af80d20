"""The office calendar: working days and office hours, the one source for deadlines.

Public holidays come from the `holidays` package (country VN, pinned). It already lists the
Lunar New Year (Tết) days the Labour Code grants and the official swaps it knows about
(e.g. 2026: Monday 31 Aug off, Saturday 22 Aug worked). For 2026 it gives Tết as
Mon 16 – Fri 20 Feb; 2027: Thu 4 – Wed 10 Feb (weekend days included).

The government's actual break can be longer or be swapped with other days: the civil
service Tết 2026 break ran Sat 14 – Sun 22 Feb, and 2026-01-02 (Friday) was given off in
exchange for working Saturday 2026-01-10. Such decisions are per year and sometimes per
office, so each office keeps them in `extra_days_off` / `makeup_working_days`. (For Tết
2026 the library already covers the weekdays; the extra entries matter to offices that
open on Saturdays, whose Saturday reception must not run during the break.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from domain.clock import LOCAL_TZ

Period = tuple[time, time]

DEFAULT_OFFICE_HOURS: tuple[Period, ...] = ((time(8), time(12)), (time(13), time(17)))
DEFAULT_SATURDAY_HOURS: tuple[Period, ...] = ((time(8), time(12)),)

_SATURDAY = 5


def to_local(moment: datetime) -> datetime:
    """An aware local datetime; a naive input is taken as Asia/Ho_Chi_Minh wall time."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=LOCAL_TZ)
    return moment.astimezone(LOCAL_TZ)


@lru_cache(maxsize=64)
def _official_days(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(public holidays, official weekend working days) for one year, from `holidays`."""
    vn = holidays.country_holidays("VN", years=year)
    days_off = frozenset(vn.keys())
    # Swapped Saturdays the library knows (e.g. 2026-08-22); filtered to the year because
    # the library returns swaps of other years too.
    workdays = frozenset(d for d in getattr(vn, "weekend_workdays", ()) if d.year == year)
    return days_off, workdays


def _normalise_periods(periods, what: str) -> tuple[Period, ...]:
    result = tuple((start, end) for start, end in periods)
    for start, end in result:
        if not start < end:
            raise ValueError(f"{what}: period {start}–{end} is empty")
    for (_, prev_end), (next_start, _) in zip(result, result[1:], strict=False):
        if next_start < prev_end:
            raise ValueError(f"{what}: periods must be sorted and not overlap")
    return result


@dataclass(frozen=True)
class OfficeCalendar:
    """Working days and hours of one office (Asia/Ho_Chi_Minh).

    A day is a working day when it is Mon–Fri, not a public holiday and not in
    `extra_days_off`; or when it is a make-up working day (office table or an official
    swap known to `holidays`), which has the normal office hours. With `saturday_reception`
    an ordinary Saturday is a working day too, but only for `saturday_hours`.
    `extra_days_off` wins over everything.
    """

    office_hours: tuple[Period, ...] = DEFAULT_OFFICE_HOURS
    saturday_reception: bool = False
    saturday_hours: tuple[Period, ...] = DEFAULT_SATURDAY_HOURS
    extra_days_off: frozenset[date] = field(default_factory=frozenset)
    makeup_working_days: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        # Accept lists/sets from settings but keep the instance immutable and hashable.
        object.__setattr__(self, "office_hours", _normalise_periods(self.office_hours, "office_hours"))
        object.__setattr__(
            self, "saturday_hours", _normalise_periods(self.saturday_hours, "saturday_hours")
        )
        object.__setattr__(self, "extra_days_off", frozenset(self.extra_days_off))
        object.__setattr__(self, "makeup_working_days", frozenset(self.makeup_working_days))
        if not self.office_hours:
            raise ValueError("office_hours must have at least one period")
        both = self.extra_days_off & self.makeup_working_days
        if both:
            raise ValueError(f"days both off and make-up working: {sorted(both)}")

    # --- days -----------------------------------------------------------------------------

    def is_public_holiday(self, d: date) -> bool:
        return d in _official_days(d.year)[0]

    def _hours_of(self, d: date) -> tuple[Period, ...]:
        if d in self.extra_days_off:
            return ()
        if d in self.makeup_working_days or d in _official_days(d.year)[1]:
            return self.office_hours
        if self.is_public_holiday(d):
            return ()
        if d.weekday() < _SATURDAY:
            return self.office_hours
        if d.weekday() == _SATURDAY and self.saturday_reception:
            return self.saturday_hours
        return ()

    def is_working_day(self, d: date) -> bool:
        return bool(self._hours_of(_as_date(d)))

    def periods_on(self, d: date) -> list[tuple[datetime, datetime]]:
        """Working periods of day `d` as aware local datetimes (empty on a day off)."""
        d = _as_date(d)
        return [
            (datetime.combine(d, start, LOCAL_TZ), datetime.combine(d, end, LOCAL_TZ))
            for start, end in self._hours_of(d)
        ]

    def end_of_day(self, d: date) -> datetime:
        """Closing time of working day `d`; ValueError on a day off."""
        periods = self.periods_on(d)
        if not periods:
            raise ValueError(f"{d} is not a working day")
        return periods[-1][1]

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after `d`."""
        d = _as_date(d)
        for _ in range(366):
            d += timedelta(days=1)
            if self.is_working_day(d):
                return d
        raise ValueError("no working day within a year")  # misconfigured calendar

    # --- hours ----------------------------------------------------------------------------

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The moment `hours` working hours after `start` (time outside office hours is skipped).

        A result landing exactly on a closing time stays there (17:00, not 08:00 next day).
        """
        if hours < 0:
            raise ValueError("hours must not be negative")
        cursor = to_local(start)
        remaining = timedelta(hours=hours)
        day = cursor.date()
        for _ in range(400):
            for begin, end in self.periods_on(day):
                if end <= cursor:
                    continue
                begin = max(begin, cursor)
                if begin + remaining <= end:
                    return begin + remaining
                remaining -= end - begin
                cursor = end
            day += timedelta(days=1)
        raise ValueError("too many working hours for the calendar")

    def working_hours_between(self, a: datetime, b: datetime) -> float:
        """Working hours from `a` to `b`; negative when `b` is before `a`."""
        a, b = to_local(a), to_local(b)
        if b < a:
            return -self.working_hours_between(b, a)
        total = timedelta()
        day = a.date()
        while day <= b.date():
            for begin, end in self.periods_on(day):
                overlap = min(end, b) - max(begin, a)
                if overlap > timedelta():
                    total += overlap
            day += timedelta(days=1)
        return total.total_seconds() / 3600


def _as_date(d: date) -> date:
    # A datetime is a date subclass; use its local calendar day, not its raw fields.
    if isinstance(d, datetime):
        return to_local(d).date()
    return d
