"""What the clerk typed on intake survives the idle limit: kept on the server for their account and offered
back after signing in again (issue 33 point 4)."""
from __future__ import annotations

from datetime import timedelta

from nicegui.testing import User
from sqlmodel import select

from app.db import write_scope
from domain.models import UserSession
from tests.ui.test_sign_in_pages import sign_in


def _idle_past_the_limit() -> None:
    with write_scope() as s:
        for row in s.exec(select(UserSession)):
            row.last_seen_at = row.last_seen_at - timedelta(minutes=31)
        s.commit()


def _value(user: User, marker: str):
    return user.find(marker=marker).elements.pop().value


async def test_typed_requester_is_offered_back_after_the_idle_limit(user: User):
    await sign_in(user, "chungthuc")
    await user.open("/intake/new")
    await user.should_not_see(marker="draft-offer")
    user.find(marker="req-name").type("Trần Thị Bích")
    user.find(marker="req-id").type("001190004321")
    user.find(marker="req-phone").type("0912345678")
    _idle_past_the_limit()
    user.find(marker="req-open").click()  # the click after the idle limit goes to sign-in
    await user.should_see("Phiên làm việc đã hết hạn", retries=100)

    await sign_in(user, "chungthuc")
    await user.open("/intake/new")
    await user.should_see(marker="draft-offer", retries=50)
    await user.should_see("Trần Thị Bích — 001190004321")
    assert _value(user, "req-name") in ("", None)  # offered, not forced on the clerk
    user.find(marker="draft-restore").click()
    await user.should_not_see(marker="draft-offer")
    assert _value(user, "req-name") == "Trần Thị Bích"
    assert _value(user, "req-id") == "001190004321"
    assert _value(user, "req-phone") == "0912345678"


async def test_the_draft_is_the_accounts_own_and_ends_with_the_dossier(user: User):
    await sign_in(user, "chungthuc")
    await user.open("/intake/new")
    user.find(marker="req-name").type("Phạm Văn Đức")
    user.find(marker="req-id").type("001180001111")
    user.find(marker="req-open").click()
    await user.should_see(marker="dossier-state", retries=100)
    await user.open("/intake/new")
    await user.should_not_see(marker="draft-offer")
