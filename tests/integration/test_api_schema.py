"""Schemathesis (pinned in pyproject) runs the served OpenAPI document against the live server
(`python main.py`): every operation, valid and invalid inputs, a bounded number of examples. Bad inputs
must get 4xx problem details, never a 500, and every answer must match the document."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlmodel import Session, select

from domain.api_clients import key_digest, new_key
from domain.models import ApiClient, Office
from tests.e2e.conftest import start_server

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = "15"  # per operation and phase: the whole run stays within seconds


@pytest.fixture(scope="module")
def api_server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("api") / "data")
    yield server
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


def live_key(database_url: str) -> str:
    """A client with every scope, written into the live server's database as the admin page would."""
    prefix, key = new_key()
    engine = create_engine(database_url)
    with Session(engine) as session:
        office = session.exec(select(Office)).first()
        session.add(ApiClient(name="Schemathesis", office_id=office.id, scopes=["verify", "read_dossiers"],
                              key_prefix=prefix, key_hash=key_digest(key), rate_per_minute=6000))
        session.commit()
    engine.dispose()
    return key


def issued_on_the_server(data_dir: Path, monkeypatch) -> tuple[str, str]:
    """(dossier code, verification code) of a copy issued into the live server's data, for realistic codes."""
    from app.db import dispose_engine
    from app.settings import reload_settings
    from tests.support.api import issued_copy

    monkeypatch.setenv("DATA_DIR", str(data_dir))
    dispose_engine()
    reload_settings()
    try:
        code, verify_code, _ = issued_copy()
    finally:
        dispose_engine()
    return code, verify_code


def test_schemathesis_finds_no_server_error_and_no_answer_off_the_document(api_server, monkeypatch, tmp_path):
    key = live_key(api_server.database_url)
    dossier_code, verify_code = issued_on_the_server(api_server.data_dir, monkeypatch)
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.support.schemathesis_hooks", "PYTHONPATH": str(ROOT),
           "NO_COLOR": "1", "ST_VERIFY_CODE": verify_code, "ST_DOSSIER_CODE": dossier_code}
    run = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "run", f"{api_server.url}/api/v1/openapi.json",
         "--url", f"{api_server.url}/api/v1", "-H", f"Authorization: Bearer {key}",
         "--max-examples", EXAMPLES, "--seed", "20261207", "--checks", "all",
         # Random bytes fit the body's schema (a binary string) but are no PDF: refusing them is right.
         "--exclude-checks", "positive_data_acceptance"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)  # its cache stays out of the tree
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "5 selected / 5 total" in run.stdout
    assert "Missing test data" not in run.stdout  # the real codes reached the 200 answers
