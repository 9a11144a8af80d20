"""After a successful password reset the page no longer counts down to sending the code again (issue 33)."""
from __future__ import annotations

from nicegui.testing import User

from tests.ui.test_citizen_accounts_pages import code_in, latest_sms


async def test_a_finished_reset_stops_counting_down(user: User):
    await user.open("/forgot-password")
    user.find(marker="fp-id").type("001099012345")
    user.find(marker="fp-phone").type("0987654321")
    user.find(marker="fp-send").click()
    await user.should_see("Gửi lại mã sau", retries=100)  # the countdown runs while the code is awaited
    user.find(marker="fp-code").type(code_in(latest_sms("otp_reset_password")))
    user.find(marker="fp-new").type("Mat-khau-moi-9")
    user.find(marker="fp-again").type("Mat-khau-moi-9")
    user.find(marker="fp-save").click()
    await user.should_see("Đã đặt mật khẩu mới", retries=100)
    await user.should_not_see("Gửi lại mã sau")
    await user.should_not_see(marker="fp-send")
