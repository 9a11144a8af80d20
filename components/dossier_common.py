"""Small pieces shared by the intake, dossier, fee and appointment pages (actions:
app.web.actions.run_action)."""
from __future__ import annotations

from nicegui import ui

from domain.fees import vnd  # noqa: F401 — pages import it from here


def notify_error(message: str) -> None:
    ui.notify(message, type="negative", multi_line=True, close_button="Đóng", timeout=8000)

