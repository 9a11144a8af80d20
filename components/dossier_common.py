"""Small pieces shared by the intake, dossier, fee and appointment pages."""
from __future__ import annotations

from datetime import date

from nicegui import ui

from app.db import write_scope
from domain.access import AccessDenied
from domain.dossiers import WorkflowError
from domain.fees import format_amount
from domain.workflow import IllegalTransition

KNOWN_ERRORS = (WorkflowError, AccessDenied, IllegalTransition)


def error_text(exc: Exception) -> str:
    return getattr(exc, "message_vi", None) or getattr(exc, "message", None) or str(exc)


def run_write(use_case, *args, **kwargs):
    """Run a use case in its own write transaction: (result, None) or (None, Vietnamese error)."""
    try:
        with write_scope() as session:
            return use_case(session, *args, **kwargs), None
    except KNOWN_ERRORS as exc:
        return None, error_text(exc)


def notify_error(message: str) -> None:
    ui.notify(message, type="negative", multi_line=True, close_button="Đóng", timeout=8000)


def vnd(amount: int) -> str:
    return format_amount(amount) + " đ"


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
