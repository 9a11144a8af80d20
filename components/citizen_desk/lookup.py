"""Step 1: look up the ID number; a number that already has an account stops here."""
from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from components.citizen_desk import run_desk
from domain import citizen_accounts as desk


class LookupStep:
    """`on_free(id_number)` when no account has the number; `on_taken()` when one has."""

    def __init__(self, on_free: Callable[[str], None], on_taken: Callable[[], None]):
        self.on_free, self.on_taken = on_free, on_taken
        with ui.card().classes("w-full"):
            ui.label("1. Tra cứu số định danh cá nhân").classes("font-bold")
            with ui.row().classes("w-full items-center gap-2 no-wrap"):
                self.input = ui.input("Số định danh cá nhân (CCCD, 12 chữ số)").classes("grow") \
                    .props("inputmode=numeric maxlength=15 data-testid=lookup-id").mark("lookup-id")
                ui.button("Tra cứu", icon="search", on_click=self.lookup).mark("lookup") \
                    .props("data-testid=lookup")
            self.result = ui.label().mark("lookup-result").props("data-testid=lookup-result")

    async def lookup(self) -> None:
        self.result.classes(remove="text-red-700 text-green-800")
        outcome = await run_desk(desk.lookup_id_number, self.input.value)
        if not outcome.ok:
            self.result.text = outcome.error
            self.result.classes(add="text-red-700")
            return
        found = outcome.value
        self.result.text = found.message
        if found.exists:
            self.result.classes(add="text-red-700")
            self.on_taken()
            return
        self.result.classes(add="text-green-800")
        self.on_free(found.id_number)
