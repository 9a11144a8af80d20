"""The public /verify upload is bounded (issue 34.6), through the real upload endpoint: per address, a
count and a number of megabytes a minute, refused before the body is read; at most N verifications at
once, the next ones told to wait their turn, the rest told to come back later."""
from __future__ import annotations

import asyncio

import pytest
from nicegui import ui
from nicegui.testing import User

from app.verification.public_verify import LIMITER
from app.web import public_limits
from tests.support.http_upload import post_files
from tests.ui.test_upload_limits import MB, Body, post, upload_url


@pytest.fixture(autouse=True)
def small_budget(monkeypatch):
    monkeypatch.setenv("VERIFY_UPLOADS_PER_MINUTE", "3")
    monkeypatch.setenv("VERIFY_UPLOAD_MB_PER_MINUTE", "4")
    monkeypatch.setenv("VERIFY_CONCURRENCY", "1")
    monkeypatch.setenv("VERIFY_QUEUE", "1")
    public_limits.reset()
    LIMITER.reset()
    yield
    public_limits.reset()
    LIMITER.reset()


async def verify_upload(user: User) -> ui.upload:
    await user.open("/verify")
    return user.find(marker="verify-upload").elements.pop()


async def test_one_address_may_upload_only_so_many_files_a_minute(user: User):
    url = upload_url(await verify_upload(user))
    for _ in range(3):
        assert (await post(user, url, Body(0.5))).status_code == 200
    fourth = Body(0.5)
    response = await post(user, url, fourth, {"Content-Length": str(MB // 2 + 200)})
    assert response.status_code == 429 and fourth.sent == 0  # refused from the headers alone
    assert "quá nhiều tệp để kiểm tra trong một phút" in response.text
    assert response.headers["retry-after"] == "60"


async def test_one_address_may_upload_only_so_many_megabytes_a_minute(user: User):
    url = upload_url(await verify_upload(user))
    assert (await post(user, url, Body(3))).status_code == 200
    second = Body(3)
    response = await post(user, url, second)  # no length declared: stopped while it streams
    assert response.status_code == 429 and second.sent < 3 * MB


async def test_verifications_beyond_the_limit_wait_their_turn_or_are_told_to_come_back(user: User):
    element = await verify_upload(user)
    held = public_limits.verification_turn()
    await held.__aenter__()  # someone else's verification is running
    try:
        await post_files(user, element, [("a.pdf", "application/pdf", b"not a pdf at all")])
        await user.should_see(public_limits.WAITING, retries=100)
        await user.open("/verify")  # a second visitor, while the first one waits
        second = user.find(marker="verify-upload").elements.pop()
        await post_files(user, second, [("b.pdf", "application/pdf", b"not a pdf either")])
        await user.should_see(public_limits.BUSY, retries=100)
    finally:
        await held.__aexit__(None, None, None)
    turns = public_limits.turns()
    for _ in range(100):  # the waiting one had its turn and finished
        if turns.active == turns.queued == 0:
            break
        await asyncio.sleep(0.05)
    assert turns.active == turns.queued == 0
