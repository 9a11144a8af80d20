"""Copying the ID data into the requester form warns only about the form's own fields (issue 33 point 5)."""
from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from components.requester_form import RequesterForm
from tests.ui.test_sign_in_pages import sign_in


async def test_the_copy_warning_names_only_fields_of_the_form(user: User):
    @ui.page("/test/requester-copy")
    def page() -> None:
        form = RequesterForm()
        ui.button("copy", on_click=lambda: form.copy_confirmed(
            {"full_name": "Lê Văn Cường", "id_number": "001180000777"},
            ["place_of_origin", "date_of_birth", "place_of_residence"])).mark("copy")

    await sign_in(user, "chungthuc")
    await user.open("/test/requester-copy")
    user.find(marker="copy").click()
    await user.should_see("Chưa chép các trường chưa xác nhận: Ngày sinh, Nơi thường trú / nơi cư trú.")
    await user.should_not_see("Quê quán")
    assert user.find(marker="req-name").elements.pop().value == "Lê Văn Cường"
