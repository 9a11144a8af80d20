"""The home page's cards: pages add a callable `(user) -> None` at registration; an official's home
draws DASHBOARD_WIDGETS, a citizen's CITIZEN_WIDGETS, in the order main.py registers the pages."""
from __future__ import annotations

from collections.abc import Callable

DASHBOARD_WIDGETS: list[Callable] = []
CITIZEN_WIDGETS: list[Callable] = []


def add_widget(widgets: list[Callable], widget: Callable) -> None:
    if widget not in widgets:  # add_routes() runs again when tests rebuild the app
        widgets.append(widget)
