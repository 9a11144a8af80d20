"""The server signs in a process of its own (app/signing/worker.py): the copy it makes there is the same
genuine copy (a revoked certificate's refusal: tests/integration/test_revoked_certificates.py), and no
worker process outlives a server killed outright."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app import files
from app.db import UNITS
from app.signing import certification_service as service
from app.signing import worker
from tests.support.workflow import signed_dossier_ready, user_named

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def signing_process():
    worker.start(1)
    yield
    worker.stop()


def test_a_copy_signed_and_sealed_in_the_signing_process_verifies(demo_db, pki_services, signing_process,
                                                                 monkeypatch):
    sent = []
    submit = worker._submit
    monkeypatch.setattr(worker, "_submit", lambda function, *args: sent.append(function.__name__)
                        or submit(function, *args))
    dossier_id = signed_dossier_ready(pages=2)
    service.sign(UNITS, user_named("lanhdao"), dossier_id)
    entries = service.seal(UNITS, user_named("vanthu"), dossier_id)
    # the copy was built and both signatures made in the process, not in this thread
    assert sent.count("write_stored_copy") == 1 and sent.count("_sign_in_worker") == 2
    assert {"page_sources", "copy_facts"} <= set(sent)  # the copy's pages and facts are read there too
    result = service.verify_bytes(files.read_bytes(entries[0].file_sha256))
    assert result.status == "valid", result.to_dict()
    assert {s.role for s in result.signatures} == {"leader", "office"}


_SIGNING = """
import os, time
from app.signing import worker
if __name__ == "__main__":
    worker.start(1)
    print(worker.call(os.getpid), flush=True)
    time.sleep(600)
"""

# NiceGUI's run.cpu_bound pool (ID reading, camera capture): its tasks call settle() first
_CPU_BOUND = """
import multiprocessing, os, time
from concurrent.futures import ProcessPoolExecutor
from app.web.worker_process import settle
if __name__ == "__main__":
    pool = ProcessPoolExecutor(mp_context=multiprocessing.get_context("spawn"))
    pool.submit(settle).result()
    print(pool.submit(os.getpid).result(), flush=True)
    time.sleep(600)
"""


@pytest.mark.parametrize("script", [_SIGNING, _CPU_BOUND], ids=["signing", "cpu-bound"])
def test_a_server_killed_outright_leaves_no_worker_process_behind(tmp_path, script):
    path = tmp_path / "server.py"
    path.write_text(script)
    server = subprocess.Popen([sys.executable, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    child = int(server.stdout.readline())
    assert child != server.pid and Path(f"/proc/{child}").exists()
    server.send_signal(signal.SIGKILL)
    server.wait(timeout=10)
    deadline = time.monotonic() + 30
    while Path(f"/proc/{child}").exists() and _state(child) != "Z":
        assert time.monotonic() < deadline, "the worker process outlived its server"
        time.sleep(0.2)


_KILLED_AT_START = """
import os, signal
from app.signing import worker
if __name__ == "__main__":
    worker.start(1)  # the process is spawned; it settles only after its imports, when this one is gone
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_server_killed_while_its_worker_starts_leaves_none_behind(tmp_path):
    path = tmp_path / "server.py"
    path.write_text(_KILLED_AT_START)
    mark = f"WORKER_TEST_MARK={tmp_path.name}".encode()  # inherited by the spawned process
    server = subprocess.run([sys.executable, str(path)], cwd=ROOT, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "WORKER_TEST_MARK": tmp_path.name})
    assert server.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 30
    while marked := [pid for pid in _pids() if mark in _environ(pid) and _state(pid) != "Z"]:
        assert time.monotonic() < deadline, f"worker processes outlived their server: {marked}"
        time.sleep(0.2)


def _pids() -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]


def _environ(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return b""


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return "gone"
