"""The citizen signs in on the official's tablet to fill the intake form from their own account;
the official's session does not change."""
from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from app.web.actions import run_action
from components.lazy import LazyDialog
from domain.intake import citizen_on_tablet
from domain.rights import Right


class TabletSignIn:
    """A dialog; `on_signed_in(citizen_id, requester_data)` after the citizen's password was checked."""

    def __init__(self, addr: str, on_signed_in: Callable):
        self.addr, self.on_signed_in = addr, on_signed_in
        self.dialog = LazyDialog(self._build)  # drawn on first open: most intakes never use it

    def _build(self, dialog: ui.dialog) -> None:
        with dialog, ui.card().classes("w-full max-w-sm"):
            ui.label("Công dân đăng nhập để điền thông tin").classes("font-bold")
            ui.label(
                "Mời người yêu cầu tự nhập số định danh (hoặc số điện thoại) và mật khẩu tài khoản của mình. "
                "Phiên làm việc của công chức không thay đổi."
            ).classes("text-sm")
            self.login = ui.input("Số định danh hoặc số điện thoại").classes("w-full") \
                .props("autocomplete=off data-testid=tablet-user").mark("tablet-user")
            self.password = (
                ui.input("Mật khẩu", password=True, password_toggle_button=True)
                .classes("w-full")
                .props("autocomplete=off data-testid=tablet-password")
                .mark("tablet-password")
            )
            self.error = ui.label().classes("text-red-700").mark("tablet-error")
            with ui.row():
                ui.button("Xác nhận", on_click=self.sign_in).props("data-testid=tablet-ok").mark("tablet-ok")
                ui.button("Đóng", on_click=dialog.close).props("flat")

    def open(self) -> None:
        self.dialog.open()

    async def sign_in(self) -> None:
        # argon2 (~1 s) runs off the event loop: the other tablets keep working meanwhile
        ok, result = await run_action(citizen_on_tablet, self.login.value or "", self.password.value or "",
                                      self.addr, right=Right.CREATE_COPY, message=self.error)
        self.password.set_value("")
        if not ok:
            return
        self.on_signed_in(*result)
        self.login.set_value("")
        self.error.set_text("")
        self.dialog.close()
