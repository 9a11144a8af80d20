"""Steps 3–4: the account holder's contact and one-stop unit; the request form to sign, the OTP the
citizen reads back (with its resend countdown), the creation; then what to tell the citizen."""
from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from components.resend_countdown import ResendCountdown
from domain import citizen_accounts as desk
from domain.models import Unit
from domain.otp import RESEND_SECONDS

HELP_NO_OTP = (
    "Công dân không nhận được mã OTP? Kiểm tra lại số điện thoại; kiểm tra sóng và hộp tin nhắn; "
    f"bấm «Gửi mã OTP» để gửi lại sau {RESEND_SECONDS} giây. Nếu đã thử nhiều lần, đề nghị công dân "
    "khởi động lại điện thoại. Chỉ mã gửi sau cùng còn hiệu lực (5 phút)."
)
HELP_NO_PASSWORD = ("Không nhận được tin nhắn mật khẩu, hoặc mật khẩu không đăng nhập được? Vui lòng đợi vài "
                    "phút rồi thử lại; nếu vẫn không được, dùng chức năng «Quên mật khẩu» trên cổng để đặt "
                    "mật khẩu mới bằng mã OTP.")


class ContactStep:
    def __init__(self, units: list[Unit]):
        with ui.card().classes("w-full"):
            ui.label("3. Liên hệ và nơi tiếp nhận").classes("font-bold")
            self.phone = ui.input("Số điện thoại di động của chủ tài khoản").classes("w-full") \
                .props("inputmode=tel data-testid=phone").mark("phone")
            self.email = ui.input("Thư điện tử (không bắt buộc)").classes("w-full") \
                .props("inputmode=email data-testid=email").mark("email")
            self.unit = None
            if units:
                self.unit = ui.select({u.id: u.name for u in units}, value=units[0].id,
                                      label="Bộ phận Một cửa nơi bạn làm việc").classes("w-full") \
                    .props("data-testid=unit").mark("unit")
            else:
                ui.label(desk.NO_ONE_STOP_UNIT).classes("text-red-700").mark("no-unit").props("data-testid=no-unit")

    @property
    def unit_id(self) -> int | None:
        return self.unit.value if self.unit else None


class ConfirmStep:
    """The buttons call `download_form()`, `send_otp()`, `create()`;
    `countdown(seconds)` holds «Gửi mã OTP»."""

    def __init__(self, download_form: Callable, send_otp: Callable, create: Callable):
        with ui.card().classes("w-full"):
            ui.label("4. Xác nhận với công dân").classes("font-bold")
            with ui.row().classes("w-full gap-2"):
                ui.button("Tải xuống giấy đề nghị tạo tài khoản", icon="download", on_click=download_form) \
                    .mark("download-form").props("outline data-testid=download-form")
                self.send = ui.button("Gửi mã OTP", icon="sms", on_click=send_otp) \
                    .mark("send-otp").props("data-testid=send-otp")
            self.otp_status = ui.label().mark("otp-status").props("data-testid=otp-status")
            ui.label(HELP_NO_OTP).classes("text-sm text-gray-700").mark("help-otp")
            with ui.row().classes("w-full items-center gap-2 no-wrap"):
                self.otp = ui.input("Mã OTP công dân đọc (6 chữ số)").classes("grow") \
                    .props("inputmode=numeric maxlength=6 autocomplete=one-time-code data-testid=otp") \
                    .mark("otp")
                ui.button("Tạo tài khoản", icon="how_to_reg", on_click=create) \
                    .props("color=positive data-testid=create-account").mark("create-account")
        self.resend = ResendCountdown(self.send)

    def countdown(self, seconds: int) -> None:
        self.resend.start(seconds)


class DoneCard:
    def __init__(self):
        with ui.card().classes("w-full bg-green-50") as self.card:
            self.text = (
                ui.label().classes("font-bold text-green-900").mark("created").props("data-testid=created")
            )
            self.sms = ui.label().mark("password-sms")
            ui.label(HELP_NO_PASSWORD).classes("text-sm text-gray-700").mark("help-password")
            with ui.row():
                ui.button("Tạo tài khoản khác", on_click=lambda: ui.navigate.to("/citizen-accounts/new"))
                ui.button("Về danh sách", on_click=lambda: ui.navigate.to("/citizen-accounts")).props(
                    "outline"
                )
        self.card.set_visibility(False)

    def show(self, username: str, phone: str) -> None:
        self.text.text = f"Đã tạo tài khoản công dân. Tên đăng nhập: {username} (hoặc số điện thoại {phone})."
        self.sms.text = (f"Mật khẩu tạm thời đã được gửi qua SMS tới {phone}. Công dân phải đổi mật khẩu "
                         "ở lần đăng nhập đầu tiên.")
        self.card.set_visibility(True)
