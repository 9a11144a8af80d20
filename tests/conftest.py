"""Shared fixtures: every test gets its own DATA_DIR and database; `db_url` runs a test on SQLite
and, when tools/run_tests.sh started one, on a throwaway PostgreSQL too."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(autouse=True)
def app_env(tmp_path, monkeypatch):
    """A fresh data folder and SQLite database, demo mode on, settings re-read."""
    from app.db import dispose_engine
    from app.settings import reload_settings

    data = tmp_path / "data"
    monkeypatch.setenv("DATA_DIR", str(data))
    monkeypatch.setenv("DEMO", "1")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("BASE_URL", "http://testserver")
    monkeypatch.setenv("AUTH_CACHE_SECONDS", "0")
    dispose_engine()
    reload_settings()
    yield data
    dispose_engine()
    reload_settings()


def _pg_database(base_url: str) -> str:
    """Create an empty database on the throwaway server and return its URL."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    plain = base_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return base_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, app_env, monkeypatch):
    """Run the test on both engines; the database is migrated and the demo office seeded."""
    from app.db import dispose_engine
    from app.settings import reload_settings
    from app.startup import prepare_database

    if request.param == "postgresql":
        base = os.environ.get("TEST_PG_URL")
        if not base:
            pytest.skip("no throwaway PostgreSQL (run through `make test`)")
        monkeypatch.setenv("DATABASE_URL", _pg_database(base))
    dispose_engine()
    settings = reload_settings()
    prepare_database()
    return settings.database_url


@pytest.fixture
def demo_db(app_env):
    """SQLite only: migrated, demo office seeded."""
    from app.startup import prepare_database

    prepare_database()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
