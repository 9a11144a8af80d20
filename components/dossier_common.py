"""Small pieces shared by the intake, dossier, fee and appointment pages (actions: app.actions.run_action)."""
from __future__ import annotations

from datetime import date

from nicegui import ui

from domain.fees import vnd  # noqa: F401 — pages import it from here


def notify_error(message: str) -> None:
    ui.notify(message, type="negative", multi_line=True, close_button="Đóng", timeout=8000)


def parse_day(text: str | None) -> date | None:
    """'2026-03-02' (the date input) or '02/03/2026' -> date; None when unreadable."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        d, m, y = (int(p) for p in text.replace("-", "/").split("/"))
        return date(y, m, d)
    except (ValueError, TypeError):
        return None
