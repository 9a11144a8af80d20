"""Long actions end in a result or a Vietnamese message, never a spinner turning on (issue 33 point 3)."""
from __future__ import annotations

import io
import sys

import pikepdf
import pytest
from nicegui import ui
from nicegui.testing import User

from app.verification.public_verify import LIMITER
from tests.support.http_upload import post_files


@pytest.fixture(autouse=True)
def fresh_limiter():
    LIMITER.reset()
    yield
    LIMITER.reset()


def _blank_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _verify_page():
    """The page module the running app uses (the harness imports the app afresh for each test)."""
    return sys.modules["pages.verify"]


def _broken_verification(*_args):
    raise ValueError("the validator gave up on this file")


async def test_a_failing_verification_of_an_upload_shows_a_message(user: User, monkeypatch):
    monkeypatch.setattr(_verify_page(), "verify_cached", _broken_verification)
    await user.open("/verify")
    element = user.find(ui.upload).elements.pop()
    response = await post_files(user, element, [("ban-sao.pdf", "application/pdf", _blank_pdf())])
    assert response.status_code == 200
    await user.should_see(marker="verify-failed", retries=100)
    await user.should_see("Không kiểm tra được bản sao lúc này")
    await user.should_not_see(kind=ui.spinner)


async def test_a_failing_lookup_by_code_shows_a_message(user: User, monkeypatch):
    monkeypatch.setattr(_verify_page(), "verify_by_code", _broken_verification)
    await user.open("/verify/ABCD-EFGH")
    await user.should_see(marker="verify-failed", retries=100)
    await user.should_not_see(kind=ui.spinner)
