"""Shared fixtures: every test gets its own DATA_DIR and database; `db_url` runs a test on SQLite
and, when tools/run_tests.sh started one, on a throwaway PostgreSQL too."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from tests.support.requirements import PARTS, allowed_missing, message, why_missing

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def pki_services(tmp_path_factory):
    """The demo PKI (Certomancer: CRL, OCSP, TSA) served on a free 127.0.0.1 port for the whole session.

    Every test's demo mode signs against it; the signers' keys are issued once per session. `make mutation`
    starts one for its whole run and names it (TEST_PKI_DIR, TEST_PKI_URL): a mutant's pytest session then
    skips the ~1 s of keys and server start-up."""
    import socket

    from app.pki.demo_pki import DemoPki
    from app.pki.services import start_services

    if os.environ.get("TEST_PKI_URL"):
        pki = DemoPki(os.environ["TEST_PKI_DIR"]).ensure(os.environ["TEST_PKI_URL"])
        os.environ["PKI_DIR"], os.environ["PKI_URL"] = str(pki.dir), pki.url_prefix
        yield pki
        return
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    pki = DemoPki(tmp_path_factory.mktemp("pki")).ensure(f"http://127.0.0.1:{port}")
    services = start_services(pki, "127.0.0.1", port)
    # Servers started as subprocesses (tests/e2e) sign against the same services.
    os.environ["PKI_DIR"], os.environ["PKI_URL"] = str(pki.dir), pki.url_prefix
    yield pki
    services.stop()


@pytest.fixture(autouse=True)
def app_env(tmp_path, monkeypatch, pki_services):
    """A fresh data folder and SQLite database, demo mode on (signing against the session's demo
    PKI), settings re-read; a fresh database is prepared from the session's template
    (tests/support/db_template.py; TEST_DB_TEMPLATE=0 turns that off)."""
    from app.db import dispose_engine
    from app.settings import reload_settings
    from domain.clock import use_clock

    use_clock(None)  # the system time unless the test sets a clock
    data = tmp_path / "data"
    monkeypatch.setenv("PKI_DIR", str(pki_services.dir))
    monkeypatch.setenv("PKI_URL", pki_services.url_prefix)
    monkeypatch.setenv("DATA_DIR", str(data))
    monkeypatch.setenv("DEMO", "1")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("BASE_URL", "http://testserver")
    monkeypatch.setenv("AUTH_CACHE_SECONDS", "0")
    monkeypatch.setenv("OUTBOUND_HOSTS", "")  # the operator's allow-list: a test that needs a host sets it
    dispose_engine()
    reload_settings()
    if os.environ.get("TEST_DB_TEMPLATE", "1") != "0":
        import app.web.startup
        from tests.support.db_template import prepare_from_template

        real_prepare = app.web.startup.prepare_database
        monkeypatch.setattr(app.web.startup, "prepare_database", lambda: prepare_from_template(real_prepare))
    yield data
    use_clock(None)
    dispose_engine()
    reload_settings()


def require(part: str) -> None:
    from tests.support.requirements import require as _require

    _require(part)


def pytest_configure(config):
    config.addinivalue_line("markers", "needs(*parts): real parts the test runs against "
                            "(postgresql, softhsm2, tesseract, chromium, faketime)")


def pytest_collection_finish(session):
    """Name every real part the selected tests need that is missing here: the run stops (exit 1),
    unless TESTS_ALLOW_MISSING lets a laptop skip those tests."""
    needed: dict[str, list] = {}
    for item in session.items:
        for part in _parts_of(item):
            needed.setdefault(part, []).append(item)
    missing = [part for part in PARTS if part in needed and why_missing(part)]
    fatal = [part for part in missing if not allowed_missing(part)]
    if fatal:
        pytest.exit("\n".join(message(part) + f" [{len(needed[part])} tests need it]" for part in fatal),
                    returncode=1)
    for part in missing:
        for item in needed[part]:
            item.add_marker(pytest.mark.skip(reason=message(part)))


_MODULE_TEXT: dict[str, str] = {}


def _parts_of(item) -> set[str]:
    parts = {arg for mark in item.iter_markers("needs") for arg in mark.args}
    params = getattr(getattr(item, "callspec", None), "params", {})
    if "postgresql" in params.values():
        parts.add("postgresql")
    if "browser" in item.fixturenames:
        parts.add("chromium")
    if "token_configs" in item.fixturenames:
        parts.add("softhsm2")
    path = str(item.path)
    if path not in _MODULE_TEXT:
        _MODULE_TEXT[path] = Path(path).read_text(encoding="utf-8", errors="replace")
    if any(word in _MODULE_TEXT[path] for word in ("app.idcard", "tests.support.cards", "id_scan")):
        parts.add("tesseract")
    return parts


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
    from app.web.startup import prepare_database

    if request.param == "postgresql":
        base = os.environ.get("TEST_PG_URL")
        if not base:
            require("postgresql")
        monkeypatch.setenv("DATABASE_URL", _pg_database(base))
    dispose_engine()
    settings = reload_settings()
    prepare_database()
    return settings.database_url


@pytest.fixture
def demo_db(app_env):
    """SQLite only: migrated, demo office seeded."""
    from app.web.startup import prepare_database

    prepare_database()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def csc_service(pki_services):
    """The demo CSC remote-signing service (certomancer-csc-dummy + OAuth2/PIN checks) on 127.0.0.1,
    over the session's demo PKI; tests that change its policy restore it."""
    from app.pki.csc_server import CscPolicy, start_csc_service
    from app.pki.demo_csc import demo_client_secret_file

    secret = demo_client_secret_file(pki_services).read_text().strip()
    running = start_csc_service(pki_services, policy=CscPolicy(client_secret=secret))
    yield running
    running.stop()
