"""User-fixture page tests: every `should_see` / `should_not_see` budget holds on a machine four times
slower (tests/support/waits.py)."""
from __future__ import annotations

import pytest
from nicegui.testing.user import User

from tests.support.waits import retries


@pytest.fixture(autouse=True)
def slow_machine_budgets(monkeypatch):
    see, not_see = User.should_see, User.should_not_see

    async def should_see(self, *args, **kwargs):
        kwargs["retries"] = retries(kwargs.get("retries", 3))
        return await see(self, *args, **kwargs)

    async def should_not_see(self, *args, **kwargs):
        kwargs["retries"] = retries(kwargs.get("retries", 3))
        return await not_see(self, *args, **kwargs)

    monkeypatch.setattr(User, "should_see", should_see)
    monkeypatch.setattr(User, "should_not_see", should_not_see)
