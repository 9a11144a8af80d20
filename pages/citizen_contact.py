"""A citizen edits their own e-mail address from the home page (a CITIZEN_WIDGETS card). The phone
number is the sign-in and OTP channel: it is changed at the one-stop desk."""
from __future__ import annotations

from nicegui import ui

from app.views.accounts import account_profile
from app.web.actions import run_action
from components.dashboard import CITIZEN_WIDGETS, add_widget
from domain.citizen_accounts import update_own_email


def add_routes() -> None:
    add_widget(CITIZEN_WIDGETS, contact_card)


def contact_card(user) -> None:
    account = account_profile(user.account_id)
    with ui.expansion("Cập nhật thư điện tử", icon="mail").classes("w-full bg-white"):
        email = ui.input("Thư điện tử", value=account.email or "").classes("w-full") \
            .props("inputmode=email data-testid=my-email").mark("my-email")
        ui.label("Muốn đổi số điện thoại, vui lòng đến Bộ phận Một cửa (số điện thoại dùng để đăng nhập và "
                 "nhận mã OTP).").classes("text-sm text-gray-700")
        message = ui.label().mark("my-email-message")

        async def save() -> None:
            outcome = await run_action(update_own_email, email.value, citizen=True, message=message)
            if not outcome.ok:
                message.classes(replace="text-red-700")
                return
            message.text = "Đã lưu thư điện tử." if outcome.value else "Đã xóa thư điện tử."
            message.classes(replace="text-green-800")

        ui.button("Lưu", on_click=save).mark("save-email").props("data-testid=save-email")
