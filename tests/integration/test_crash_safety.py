"""Power loss in the middle of a seal: the process is killed (SIGKILL) while it holds the register's
number inside its transaction. Afterwards the dossier still waits for its seal, no number is used,
no file of the copy is referenced, and the next seal takes number 1."""
import os
import select as io_select
import signal
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from app.db import UNITS, session_scope
from app.signing import certification_service as service
from domain import workflow
from domain.models import Dossier, RegisterCounter, RegisterEntry
from tests.support.workflow import signed_dossier_ready, user_named

ROOT = Path(__file__).resolve().parents[2]


def read_line(process: subprocess.Popen, timeout: float) -> str:
    """One line of the worker's output, or a failure naming what it printed if none comes in time."""
    ready, _, _ = io_select.select([process.stdout], [], [], timeout)
    if not ready:
        process.kill()
        _, err = process.communicate(timeout=30)
        raise AssertionError(f"no line from the worker within {timeout} s; stderr:\n{err}")
    return process.stdout.readline().strip()


def test_killed_in_the_middle_of_a_seal_loses_nothing_and_uses_no_number(db_url):
    dossier_id = signed_dossier_ready(pages=1, email=None)
    service.sign(UNITS, user_named("lanhdao"), dossier_id)
    worker = subprocess.Popen([sys.executable, "tools/seal_worker.py", str(dossier_id)], cwd=ROOT,
                              env={**os.environ, "SEAL_PAUSE_SECONDS": "60"},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert read_line(worker, timeout=120) == "sealing"  # the number is taken, the transaction open
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    with session_scope() as session:
        assert session.get(Dossier, dossier_id).state == workflow.SIGNED
        assert session.exec(select(RegisterEntry)).all() == []
        counter = session.exec(select(RegisterCounter)).first()
        assert counter is None or counter.last_number == 0
    entries = service.seal(UNITS, user_named("vanthu"), dossier_id)
    assert [e.number for e in entries] == [1]
