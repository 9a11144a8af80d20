"""What a long step is doing now (building, signing, time-stamping a thick copy), with the seconds spent.

The service reports from its worker thread by calling the object with a Vietnamese sentence (a plain
assignment); a timer on the event loop shows the latest one, so no element is touched off the loop.
"""
from __future__ import annotations

import time

from nicegui import ui


class StepProgress:
    """`with StepProgress(container) as progress: …` — shown in `container` until the block ends."""

    def __init__(self, where: ui.element, first: str = "Đang chuẩn bị…"):
        self.text, self.started = first, time.monotonic()
        with where, ui.row().classes("items-center gap-2 no-wrap").props("role=status") as self.row:
            ui.spinner(size="md")
            self.label = ui.label(first).classes("text-sm").mark("step-progress")
        self.timer = ui.timer(0.5, self.show)

    def __call__(self, text: str) -> None:
        """From the service's thread: the step it starts now."""
        self.text = text

    def show(self) -> None:
        seconds = int(time.monotonic() - self.started)
        text = f"{self.text} ({seconds} giây)" if seconds >= 2 else self.text
        if self.label.text != text:
            self.label.set_text(text)

    def __enter__(self) -> StepProgress:
        return self

    def __exit__(self, *exc) -> None:
        self.timer.cancel()
        self.row.delete()
