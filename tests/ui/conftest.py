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
        engines = (
            ["sqlite"] if metafunc.definition.get_closest_marker("sqlite_only") else ["sqlite", "postgresql"]
        )
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
        url = _pg_database(os.environ["TEST_PG_URL"])
        monkeypatch.setenv("DATABASE_URL", url)
        dispose_engine()
        reload_settings()
        yield engine
        if "user" in request.fixturenames:
            _assert_the_app_wrote_to(url)
        return
    yield engine


def _assert_the_app_wrote_to(url: str) -> None:
    """A page test on the PostgreSQL run really ran there: the app migrated and seeded that database
    (a silent fall-back to SQLite would leave it empty)."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=10) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'account'"
        ).fetchone()[0]
        accounts = conn.execute("SELECT count(*) FROM account").fetchone()[0] if tables else 0
    assert accounts > 0, "the page test was meant to run on PostgreSQL, but the app never wrote to it"


@pytest.fixture(autouse=True)
def fresh_upload_budget():
    """Every test is a new visitor to /verify: the per-address upload budget (app.web.public_limits) is this
    process's memory, and all tests come from the same address."""
    from app.web import public_limits

    public_limits.reset()
    yield
    public_limits.reset()
