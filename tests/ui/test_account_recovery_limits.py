"""What an attacker with a stolen phone number or an old password must not get, through the pages: the
forgot-password page stops taking the right code after too many wrong ones, and «Cấp lại mật khẩu» by an
administrator signs the official out of every device."""
from __future__ import annotations

import asyncio

from nicegui.testing import User
from sqlmodel import select

from app.db import session_scope, write_scope
from domain import otp
from domain.accounts import session_account
from domain.accounts import sign_in as open_session
from domain.models import Account, Otp
from tests.support.waits import retries
from tests.ui.admin_support import account
from tests.ui.admin_support import sign_in as admin_sign_in
from tests.ui.test_citizen_accounts_pages import code_in, latest_sms

CITIZEN_ID, CITIZEN_PHONE = "001099012345", "0987654321"


def _password_hash(username: str) -> str:
    with session_scope() as s:
        return s.exec(select(Account.password_hash).where(Account.username == username)).one()


async def _attempts_reach(count: int) -> None:
    for _ in range(retries(100)):
        with session_scope() as s:
            row = s.exec(select(Otp).order_by(Otp.id.desc())).first()
        if row.attempts >= count:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the page did not count wrong code {count}")


async def test_forgot_password_refuses_the_right_code_after_too_many_wrong_ones(user: User):
    before = _password_hash(CITIZEN_ID)
    await user.open("/forgot-password")
    user.find(marker="fp-id").type(CITIZEN_ID)
    user.find(marker="fp-phone").type(CITIZEN_PHONE)
    user.find(marker="fp-send").click()
    await user.should_see("Nếu thông tin đúng, mã OTP đã được gửi", retries=100)
    right = code_in(latest_sms("otp_reset_password"))
    wrong = right[:-1] + str((int(right[-1]) + 1) % 10)
    user.find(marker="fp-new").type("Mat-khau-moi-9")
    user.find(marker="fp-again").type("Mat-khau-moi-9")
    for i in range(1, otp.MAX_WRONG + 1):
        user.find(marker="fp-code").clear().type(wrong)
        user.find(marker="fp-save").click()
        await _attempts_reach(i)
        await user.should_see("Mã OTP không đúng hoặc đã hết hạn", retries=100)
    user.find(marker="fp-code").clear().type(right)
    user.find(marker="fp-save").click()
    await user.should_see("Mã OTP không đúng hoặc đã hết hạn", retries=100)
    await asyncio.sleep(2)  # the page answers after 1.5 s at least: let the right code's answer land
    await user.should_not_see("Đã đặt mật khẩu mới")
    assert _password_hash(CITIZEN_ID) == before


async def test_administrator_reset_password_ends_every_session_of_the_official(user: User):
    with write_scope() as s:  # the official signed in on two devices
        tokens = [open_session(s, "chungthuc", "demo1234", client_addr=addr).token
                  for addr in ("10.0.0.1", "10.0.0.2")]
    with session_scope() as s:
        assert all(session_account(s, t) is not None for t in tokens)
    await admin_sign_in(user)
    await user.open(f"/admin/users/{account('chungthuc').id}")
    await user.should_see(marker="reset-password", retries=100)
    user.find(marker="reset-password").click()
    await user.should_see("Đã cấp lại mật khẩu; mật khẩu mới đã được gửi qua SMS.", retries=100)
    with session_scope() as s:
        assert [session_account(s, t) for t in tokens] == [None, None]
