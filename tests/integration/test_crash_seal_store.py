"""Power cut while a sealed copy is being stored: the seal keeper's process dies (SIGKILL) after the
register's numbers were reserved and the copies sealed, at the first write into the file store
(tests/support/kill_on_store). After restart: no number used, no gap, no half-issued copy, the register
check clean; the next seal takes the same numbers — on SQLite and PostgreSQL."""
import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from app import files
from app.cli.register_cli import check_register
from app.db import UNITS, session_scope, write_scope
from app.settings import get_settings
from app.signing import certification_service as service
from domain import dossiers, workflow
from domain.models import CopyFile, Dossier, RegisterCounter, RegisterEntry
from tests.support.thick import add_scan, open_original, pay, scanned_pdf
from tests.support.workflow import user_named

ROOT = Path(__file__).resolve().parents[2]
KILL_ON_STORE = ROOT / "tests" / "support" / "kill_on_store"


def two_originals_signed() -> int:
    dossier_id, _ = open_original(3, title="Học bạ")
    clerk = user_named("chungthuc")
    with write_scope() as session:
        second = dossiers.save_original(session, clerk, dossier_id, dossiers.OriginalData(
            title="Bằng tốt nghiệp", issuer="Trường THPT Việt Đức", pages=2,
            checks=["not_altered", "legible", "not_secret", "lawful_content"]))
    add_scan(second.id, scanned_pdf(2), 2)
    pay(dossier_id)
    with write_scope() as session:
        dossiers.submit(session, clerk, dossier_id)
    service.sign(UNITS, user_named("lanhdao"), dossier_id)
    return dossier_id


def test_killed_while_storing_a_sealed_copy_leaves_no_gap_and_no_half_issued_copy(db_url):
    dossier_id = two_originals_signed()
    arm = get_settings().data_dir / "kill-on-store"
    arm.touch()
    path = os.pathsep.join(p for p in (str(KILL_ON_STORE), os.environ.get("PYTHONPATH", "")) if p)
    worker = subprocess.run([sys.executable, "tools/seal_worker.py", str(dossier_id)], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": path}, capture_output=True, text=True,
                            timeout=300)
    arm.unlink()
    assert worker.returncode == -9, worker.stdout + worker.stderr  # killed in the store, not refused

    with session_scope() as session:
        assert session.get(Dossier, dossier_id).state == workflow.SIGNED
        assert session.exec(select(RegisterEntry)).all() == []
        assert session.exec(select(CopyFile)).all() == []
        assert session.exec(select(RegisterCounter)).one().last_number == 0
    problems, _, _ = check_register()
    assert problems == []

    entries = service.seal(UNITS, user_named("vanthu"), dossier_id)  # the dead seal's numbers are taken over
    assert [e.number for e in entries] == [1, 2]
    problems, checked, _ = check_register()
    assert (problems, checked) == ([], 2)
    for entry in entries:
        assert service.verify_bytes(files.read_bytes(entry.file_sha256)).status == "valid"
