"""A citizen edits their own e-mail address from the home page (a CITIZEN_WIDGETS card). The phone
number is the sign-in and OTP channel: it is changed at the one-stop desk."""
from __future__ import annotations

from nicegui import ui

from app.auth import actor_for
from app.db import session_scope, write_scope
from domain.access import AccessDenied
from domain.citizen_accounts import CitizenAccountError, update_own_email
from domain.models import Account


def register() -> None:
    from pages.home import CITIZEN_WIDGETS

    if contact_card not in CITIZEN_WIDGETS:
        CITIZEN_WIDGETS.append(contact_card)


def contact_card(user) -> None:
    with session_scope() as session:
        account = session.get(Account, user.account_id)
    with ui.expansion("Cập nhật thư điện tử", icon="mail").classes("w-full bg-white"):
        email = ui.input("Thư điện tử", value=account.email or "").classes("w-full") \
            .props("inputmode=email data-testid=my-email").mark("my-email")
        ui.label("Muốn đổi số điện thoại, vui lòng đến Bộ phận Một cửa (số điện thoại dùng để đăng nhập và "
                 "nhận mã OTP).").classes("text-sm text-gray-700")
        message = ui.label().mark("my-email-message")

        def save() -> None:
            try:
                with write_scope() as session:
                    saved = update_own_email(session, actor_for(user), email.value)
            except (CitizenAccountError, AccessDenied) as exc:
                message.text = exc.message
                message.classes(replace="text-red-700")
                return
            message.text = "Đã lưu thư điện tử." if saved else "Đã xóa thư điện tử."
            message.classes(replace="text-green-800")

        ui.button("Lưu", on_click=save).mark("save-email").props("data-testid=save-email")
