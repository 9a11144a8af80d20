"""Quên mật khẩu (public, SPEC A13): ID number + phone -> OTP by SMS -> a new password.
The page says the same thing whether or not an account matches."""
from __future__ import annotations

import asyncio
import time

from fastapi import Request
from nicegui import ui

from app.web.actions import run_public
from app.web.jobs import deliver_soon
from components.frame import demo_banner
from components.resend_countdown import ResendCountdown
from domain.clock import utcnow
from domain.otp import RESEND_SECONDS
from domain.password_reset import SENT_IF_MATCHING, ResetError, request_reset, reset_password

HELP = ("Không nhận được mã? Kiểm tra số điện thoại đã đăng ký với tài khoản; kiểm tra sóng và hộp tin nhắn; "
        f"gửi lại sau {RESEND_SECONDS} giây. Nếu đã thử nhiều lần, hãy khởi động lại điện thoại, hoặc đến "
        "Bộ phận Một cửa để được hỗ trợ.")


# Every answer takes at least this long, whether or not an account matched (the SMS goes in the
# background), so the time tells nothing about which phone numbers have an account.
ANSWER_SECONDS = 1.5


async def _answer_after(started: float) -> None:
    await asyncio.sleep(max(0.0, ANSWER_SECONDS - (time.monotonic() - started)))


def add_routes() -> None:
    ui.page("/forgot-password")(forgot_password_page)


def _request(session, visitor, id_number: str, phone: str) -> int | None:
    return request_reset(session, id_number, phone, visitor.client_addr, utcnow())


def _reset(session, visitor, id_number: str, phone: str, code: str, password: str) -> int:
    return reset_password(session, id_number, phone, code, password, visitor.client_addr, utcnow())


def forgot_password_page(request: Request) -> None:
    ui.page_title("Quên mật khẩu — Chứng thực điện tử")
    demo_banner()
    ResetForm()


class ResetForm:
    """Step 1 sends the code (and starts the resend countdown); step 2 sets the new password."""

    def __init__(self):
        with ui.column().classes("w-full items-center p-4"):
            with ui.card().classes("w-full max-w-md gap-3"):
                self._step1()
                with ui.column().classes("w-full gap-2") as self.step2:
                    self._step2()
                self.step2.set_visibility(False)
                self.error = ui.label().classes("text-red-700").mark("fp-error").props("data-testid=fp-error")
                ui.link("← Về trang đăng nhập", "/login").classes("text-sm")
        self.resend = ResendCountdown(self.send, waiting="Gửi lại mã sau {} giây")

    def _step1(self) -> None:
        ui.label("Quên mật khẩu (tài khoản công dân)").classes("text-xl font-bold text-blue-900")
        ui.label("Nhập số định danh cá nhân và số điện thoại đã đăng ký. Mã OTP sẽ được gửi qua SMS.") \
            .classes("text-sm text-gray-700")
        self.id_number = ui.input("Số định danh cá nhân (CCCD)").classes("w-full") \
            .props("inputmode=numeric data-testid=fp-id").mark("fp-id")
        self.phone = ui.input("Số điện thoại di động").classes("w-full") \
            .props("inputmode=tel data-testid=fp-phone").mark("fp-phone")
        self.send = ui.button("Gửi mã OTP", icon="sms", on_click=self.send_code).classes("w-full") \
            .mark("fp-send").props("data-testid=fp-send")
        self.sent = ui.label().classes("text-green-800").mark("fp-sent").props("data-testid=fp-sent")
        ui.label(HELP).classes("text-xs text-gray-600")

    def _step2(self) -> None:
        self.code = ui.input("Mã OTP (6 chữ số)").classes("w-full") \
            .props("inputmode=numeric maxlength=6 autocomplete=one-time-code data-testid=fp-code") \
            .mark("fp-code")
        self.new = ui.input("Mật khẩu mới (ít nhất 8 ký tự)", password=True).classes("w-full") \
            .props("autocomplete=new-password data-testid=fp-new").mark("fp-new")
        self.again = ui.input("Nhập lại mật khẩu mới", password=True).classes("w-full") \
            .props("autocomplete=new-password data-testid=fp-again").mark("fp-again")
        ui.button("Đặt mật khẩu mới", on_click=self.save).classes("w-full") \
            .mark("fp-save").props("color=positive data-testid=fp-save")

    async def send_code(self) -> None:
        self.error.text = ""
        if not (self.id_number.value or "").strip() or not (self.phone.value or "").strip():
            self.error.text = "Vui lòng nhập số định danh cá nhân và số điện thoại."
            return
        started = time.monotonic()
        await run_public(_request, self.id_number.value, self.phone.value)
        deliver_soon()
        await _answer_after(started)
        self.sent.text = SENT_IF_MATCHING
        self.step2.set_visibility(True)
        self.resend.start(RESEND_SECONDS)

    async def save(self) -> None:
        self.error.text = ""
        if (self.new.value or "") != (self.again.value or ""):
            self.error.text = "Hai lần nhập mật khẩu mới không khớp."
            return
        started = time.monotonic()
        try:
            await run_public(_reset, self.id_number.value, self.phone.value, self.code.value or "",
                             self.new.value or "")
        except ResetError as exc:
            await _answer_after(started)
            self.error.text = exc.message
            return
        self.step2.set_visibility(False)
        self.resend.finish()  # a finished reset counts nothing down
        self.sent.text = "Đã đặt mật khẩu mới. Bạn có thể đăng nhập bằng mật khẩu mới."
        ui.notify(self.sent.text, type="positive")
