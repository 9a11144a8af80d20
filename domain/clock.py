"""Time helpers: store aware UTC, show Asia/Ho_Chi_Minh; the one Clock port the use cases read.

Use cases take `clock: Clock | None = None` where a caller may want another time; None means the
process clock, which is the system time unless the composition root (or a test) calls use_clock().
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

try:  # the one definition of the office's time zone
    LOCAL_TZ: tzinfo = ZoneInfo("Asia/Ho_Chi_Minh")
except ZoneInfoNotFoundError:  # host without tzdata; Vietnam has no DST, so a fixed offset is exact
    LOCAL_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware UTC now."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved (tests, replays); naive times are local wall time."""

    def __init__(self, at: datetime):
        self.set(at)

    def set(self, at: datetime) -> None:
        self._at = to_utc(at)

    def advance(self, **delta: float) -> None:
        self._at += timedelta(**delta)

    def now(self) -> datetime:
        return self._at


SYSTEM_CLOCK = SystemClock()
_clock: Clock = SYSTEM_CLOCK


def use_clock(clock: Clock | None) -> None:
    """Make `clock` the process clock (None: back to the system time)."""
    global _clock
    _clock = clock or SYSTEM_CLOCK


def utcnow(clock: Clock | None = None) -> datetime:
    """Aware UTC now, the form every stored time takes, from `clock` or the process clock."""
    return (clock or _clock).now()


def to_utc(moment: datetime) -> datetime:
    """Aware (or naive local) time → aware UTC for storage."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TZ)
    return moment.astimezone(UTC)


def to_local(stored: datetime | None) -> datetime | None:
    """Stored UTC (aware, or naive read back from a store without zones) → aware Asia/Ho_Chi_Minh."""
    if stored is None:
        return None
    if stored.tzinfo is None:
        stored = stored.replace(tzinfo=UTC)
    return stored.astimezone(LOCAL_TZ)


def format_local(stored: datetime | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
    local = to_local(stored)
    return local.strftime(fmt) if local else ""
