"""Dates typed in a screen's filter fields."""
from __future__ import annotations

from datetime import date


def parse_date(text: str | None) -> date | None:
    """'2025-03-01' (date input) or '01/03/2025'; None when empty; ValueError when malformed."""
    text = (text or "").strip()
    if not text:
        return None
    if "/" in text:
        d, m, y = text.split("/")
        return date(int(y), int(m), int(d))
    return date.fromisoformat(text)
