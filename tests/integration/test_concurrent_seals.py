"""Twelve seals at once in one office, six from threads and six from a second process: twelve consecutive
numbers, no gap, no duplicate, twelve valid PDFs — on SQLite and on PostgreSQL. (Twenty before: each
seal is a real signature with its time-stamp; twelve already keep every seal waiting on others.)"""
import subprocess
import sys
import threading
from pathlib import Path

from sqlmodel import select

from app import files
from app.db import UNITS, session_scope
from app.signing import certification_service as service
from domain.models import RegisterEntry
from tests.support.workflow import signed_dossier_ready, user_named

ROOT = Path(__file__).resolve().parents[2]
SEALS = 12


def test_twelve_concurrent_seals_from_threads_and_another_process(db_url):
    ids = [signed_dossier_ready(pages=1, email=None) for _ in range(SEALS)]
    leader = user_named("lanhdao")
    for dossier_id in ids:
        service.sign(UNITS, leader, dossier_id)
    mine, theirs = ids[:SEALS // 2], ids[SEALS // 2:]
    other = subprocess.Popen([sys.executable, "tools/seal_worker.py", *map(str, theirs)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sealer = user_named("vanthu")
    errors: list[Exception] = []

    def seal(dossier_id: int) -> None:
        try:
            service.seal(UNITS, sealer, dossier_id)
        except Exception as exc:  # noqa: BLE001 — asserted below
            errors.append(exc)

    threads = [threading.Thread(target=seal, args=(i,)) for i in mine]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out, err = other.communicate(timeout=300)
    assert other.returncode == 0, out + err
    assert errors == []
    with session_scope() as session:
        entries = session.exec(select(RegisterEntry).order_by(RegisterEntry.number)).all()
    assert [e.number for e in entries] == list(range(1, SEALS + 1))
    assert sorted(e.dossier_id for e in entries) == sorted(ids)
    for entry in entries:
        result = service.verify_bytes(files.read_bytes(entry.file_sha256))
        assert result.status == "valid", (entry.number, result.to_dict()["problems"])
