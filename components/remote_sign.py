"""The remote-signing ceremony (ký số từ xa): one PIN/OTP approval for one dossier or a whole batch.

``approve_remote`` does nothing for a key held here (PKCS#12, PKCS#11, demo file) and returns True; for a
CSC key it asks for the PIN/OTP in a dialog, then shows "Đang chờ xác nhận trên điện thoại…" with a
cancel button while the provider waits, and says each refusal in Vietnamese (the dialog stays open to
try again). The provider is called off the event loop, so other clients keep being served.
"""
from __future__ import annotations

import asyncio
import logging

from nicegui import run, ui

from app.pki.demo_csc import DEMO_PIN
from app.settings import get_settings
from app.signing import remote_signing
from app.signing.csc_errors import RemoteSigningError
from app.signing.resolve import signer_config
from domain.access import CurrentUser

log = logging.getLogger(__name__)

LEADER, OFFICE = remote_signing.LEADER, remote_signing.OFFICE


async def approve_remote(user: CurrentUser, role: str, dossier_ids: list[int], addr: str,
                         document: str = "") -> bool:
    """True when signing may go ahead (approved, or no remote key); False when cancelled. `document`: one
    signature on that document instead of the dossiers' copies (the year's closing summary)."""
    cfg = await run.io_bound(signer_config, user, role)
    if not remote_signing.is_remote(cfg):
        return True
    if document:
        count, lines = 1, [document]
    else:
        count, lines = await run.io_bound(remote_signing.batch_summary, dossier_ids)
    return await _PinDialog(user, role, cfg, count, lines, addr).run()


def end_remote(user: CurrentUser, role: str) -> None:
    """Forget the batch's approval (what is left of it cannot be used again)."""
    remote_signing.release(role, user.account_id)


class _PinDialog:
    def __init__(self, user: CurrentUser, role: str, cfg: dict, count: int, lines: list[str], addr: str):
        self.user, self.role, self.cfg, self.count, self.addr = user, role, cfg, count, addr
        self.result: asyncio.Future = asyncio.get_running_loop().create_future()
        self.attempt = 0
        what = "chữ ký của lãnh đạo" if role == LEADER else "con dấu điện tử của cơ quan"
        with ui.dialog().props("persistent") as self.dialog, ui.card().classes("w-full max-w-md gap-3") \
                .props("data-testid=remote-dialog"):
            ui.label("Xác nhận ký số từ xa").classes("text-lg font-bold")
            ui.label(f"Áp dụng {what} cho {len(lines)} hồ sơ ({count} bản sao) bằng chứng thư số "
                     "trên dịch vụ ký số từ xa. Một lần xác nhận cho cả lượt ký.").classes("text-sm")
            with ui.column().classes("w-full gap-0 max-h-40 overflow-y-auto text-sm text-gray-700") \
                    .mark("remote-list"):
                for line in lines:
                    ui.label(line)
            with ui.column().classes("w-full gap-2") as self.ask:
                self.pin = (
                    ui.input("Mã PIN hoặc mã OTP", password=True, password_toggle_button=True)
                    .classes("w-full")
                    .props("autocomplete=one-time-code inputmode=numeric data-testid=remote-pin autofocus")
                    .mark("remote-pin")
                )
                self.pin.on("keydown.enter", self._confirm)
                if get_settings().demo:
                    ui.label(f"Demo: mã PIN của dịch vụ ký số thử nghiệm là {DEMO_PIN}.") \
                        .classes("text-sm text-orange-900")
            with ui.column().classes("w-full gap-1 hidden") as self.waiting:
                with ui.row().classes("items-center gap-2"):
                    ui.spinner(size="md")
                    ui.label("Đang chờ xác nhận trên điện thoại…").mark("remote-waiting")
                ui.linear_progress(show_value=False).props("indeterminate")
            self.error = ui.label("").classes("text-negative").props("role=alert data-testid=remote-error") \
                .mark("remote-error")
            with ui.row().classes("w-full justify-end gap-2"):
                ui.button("Hủy", on_click=self._cancel).props("flat data-testid=remote-cancel").mark(
                    "remote-cancel"
                )
                self.ok = ui.button("Xác nhận", icon="verified_user", on_click=self._confirm) \
                    .props("color=primary data-testid=remote-confirm").mark("remote-confirm")

    async def run(self) -> bool:
        self.dialog.open()
        try:
            return await self.result
        finally:
            self.dialog.close()
            self.dialog.delete()

    async def _confirm(self) -> None:
        pin = (self.pin.value or "").strip()
        if not pin:
            self.error.set_text("Vui lòng nhập mã PIN hoặc mã OTP.")
            return
        self.attempt += 1
        attempt = self.attempt
        self.error.set_text("")
        self.ok.set_enabled(False)
        self.ask.classes(add="hidden")
        self.waiting.classes(remove="hidden")
        try:
            await run.io_bound(
                remote_signing.approve, self.user, self.role, self.cfg, self.count, pin, self.addr
            )
        except RemoteSigningError as exc:
            if attempt == self.attempt and not self.result.done():
                self._show_ask(exc.message)
            return
        except Exception as exc:  # noqa: BLE001 — a configuration problem, said plainly
            log.error("remote signing approval failed", exc_info=True)
            if attempt == self.attempt and not self.result.done():
                self._show_ask(
                    f"Không xác nhận được ký số từ xa ({type(exc).__name__}). Vui lòng báo quản trị."
                )
            return
        if self.result.done():  # cancelled while the provider was waiting: do not keep the approval
            end_remote(self.user, self.role)
            return
        self.result.set_result(True)

    def _show_ask(self, message: str) -> None:
        self.waiting.classes(add="hidden")
        self.ask.classes(remove="hidden")
        self.ok.set_enabled(True)
        self.pin.value = ""
        self.error.set_text(message)

    def _cancel(self) -> None:
        self.attempt += 1
        if not self.result.done():
            self.result.set_result(False)
