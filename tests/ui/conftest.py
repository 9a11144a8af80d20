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


def pytest_generate_tests(metafunc):
    """Every page test that drives the app through the `user` fixture runs on both engines."""
    if "user" in metafunc.fixturenames and "ui_engine" in metafunc.fixturenames:
        engines = ["sqlite"] if metafunc.definition.get_closest_marker("sqlite_only") else ["sqlite", "postgresql"]
        metafunc.parametrize("ui_engine", engines, indirect=True)


@pytest.fixture(autouse=True)
def ui_engine(request, app_env, monkeypatch):
    """SQLite by default; on the PostgreSQL run a fresh database on the throwaway server, set before
    the `user` fixture starts the app (which migrates it and seeds the demo office)."""
    engine = getattr(request, "param", "sqlite")
    if engine == "postgresql":
        import os

        from app.db import dispose_engine
        from app.settings import reload_settings
        from tests.conftest import _pg_database
        from tests.support.requirements import require

        require("postgresql")
        monkeypatch.setenv("DATABASE_URL", _pg_database(os.environ["TEST_PG_URL"]))
        dispose_engine()
        reload_settings()
    return engine
