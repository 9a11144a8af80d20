"""A «send the code» button that may be pressed again only after a wait; its text counts the seconds."""
from __future__ import annotations

from nicegui import ui


class ResendCountdown:
    def __init__(self, button: ui.button, waiting: str = "Gửi lại mã OTP sau {} giây"):
        self.button, self.waiting, self.wait = button, waiting, 0
        self.timer = ui.timer(1.0, self.tick, active=False)

    def start(self, seconds: int) -> None:
        self.wait = seconds
        if seconds > 0:
            self.button.disable()
            self.button.text = self.waiting.format(seconds)
            self.timer.activate()

    def stop(self) -> None:
        self.timer.deactivate()

    def finish(self) -> None:
        """The code did its job (e.g. the password is reset): no countdown, no button to press again."""
        self.timer.deactivate()
        self.wait = 0
        self.button.disable()
        self.button.set_visibility(False)

    def tick(self) -> None:
        self.wait -= 1
        if self.wait <= 0:
            self.timer.deactivate()
            self.button.enable()
            self.button.text = "Gửi lại mã OTP"
        else:
            self.button.text = self.waiting.format(self.wait)
