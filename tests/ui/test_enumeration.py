"""Account enumeration and lockout abuse (issue 12.7), through the real pages and the sign-in rule:
"Quên mật khẩu" answers the same words in comparable time whether or not the account exists, and
someone who knows a phone number cannot keep its owner locked out."""
from __future__ import annotations

import time

import pytest
from nicegui.testing import User

from tests.ui.test_sign_in_pages import sign_in

pytestmark = pytest.mark.serial  # timings compared: alone, after the parallel part

KNOWN = ("001099012345", "0987654321")  # the demo citizen
UNKNOWN = ("001099999999", "0911222333")


async def ask_code(user: User, who: tuple[str, str]) -> tuple[float, list[str]]:
    await user.open("/forgot-password")
    user.find(marker="fp-id").type(who[0])
    user.find(marker="fp-phone").type(who[1])
    started = time.monotonic()
    user.find(marker="fp-send").click()
    await user.should_see("Nếu thông tin đúng", retries=400)
    took = time.monotonic() - started
    return took, [user.find(marker=m).elements.pop().text for m in ("fp-sent", "fp-error")]


async def try_code(user: User) -> tuple[float, str]:
    user.find(marker="fp-code").type("000000")
    user.find(marker="fp-new").type("Mat-khau-moi-9")
    user.find(marker="fp-again").type("Mat-khau-moi-9")
    started = time.monotonic()
    user.find(marker="fp-save").click()
    await user.should_see("Mã OTP không đúng hoặc đã hết hạn", retries=400)
    return time.monotonic() - started, user.find(marker="fp-error").elements.pop().text


async def test_forgot_password_answers_alike_for_known_and_unknown_accounts(user: User):
    known_time, known_words = await ask_code(user, KNOWN)
    known_reset_time, known_reset = await try_code(user)
    unknown_time, unknown_words = await ask_code(user, UNKNOWN)
    unknown_reset_time, unknown_reset = await try_code(user)
    assert known_words == unknown_words
    assert known_reset == unknown_reset  # no "Còn 4 lần thử" that only a real account would get
    # the same work both ways: an unknown account is not answered measurably sooner
    assert unknown_time > 0.7 * known_time, (known_time, unknown_time)
    assert unknown_reset_time > 0.5 * known_reset_time, (known_reset_time, unknown_reset_time)


async def test_an_outsider_failing_on_a_known_phone_does_not_lock_its_owner_out(user: User):
    from app.db import write_scope
    from domain.accounts import LOCKED, SignInError
    from domain.accounts import sign_in as sign_in_rule

    for _ in range(6):  # from an outsider's address, with the citizen's phone number
        with write_scope() as session, pytest.raises(SignInError) as refused:
            sign_in_rule(session, "0987654321", "doan-mo-1", client_addr="203.0.113.9")
    assert refused.value.message == LOCKED  # that address is stopped…
    await sign_in(user, "0987654321")  # …the owner, elsewhere, still gets in
    await user.should_see("Nguyễn Văn An", retries=100)
