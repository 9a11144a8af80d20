"""The one reader of a typed date: '2026-01-02' (a date picker) or '02/01/2026' / '2-1-2026' (typed).

`parse_day` refuses unreadable text with a Vietnamese message; `parse_day_or_none` lets a caller that
says its own words (a form field's label) test for None instead."""
from __future__ import annotations

from datetime import date

from domain.errors import DomainError


class BadDate(DomainError, ValueError):
    """A typed date that is not a calendar day."""


def parse_day(text: str | None) -> date | None:
    """None when empty; BadDate when unreadable (including 31/02/2026)."""
    text = (text or "").strip()
    if not text:
        return None
    day = _read(text)
    if day is None:
        raise BadDate(f"Ngày «{text}» không hợp lệ (dạng ngày/tháng/năm, ví dụ 02/01/2026).")
    return day


def parse_day_or_none(text: str | None) -> date | None:
    """None when empty or unreadable."""
    text = (text or "").strip()
    return _read(text) if text else None


def _read(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    parts = text.replace("-", "/").split("/")
    if len(parts) != 3 or not all(p.strip().isdigit() for p in parts):
        return None
    d, m, y = (int(p) for p in parts)
    if y < 1000:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None
