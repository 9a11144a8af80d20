"""A dossier through intake, fee, the leader's signature and the seal, on SQLite and PostgreSQL."""
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlmodel import select

from app import files
from app.db import UNITS, session_scope, write_scope
from app.signing import certification_service as service
from app.signing import sign_seal
from domain import dossiers, workflow
from domain.access import AccessDenied
from domain.dossiers import WorkflowError
from domain.models import Dossier, EmailMessage, RegisterCounter, RegisterEntry
from tests.support.workflow import signed_dossier_ready, user_named

ROOT = Path(__file__).resolve().parents[2]


def test_dossier_goes_from_intake_to_an_issued_copy_that_verifies(db_url, tmp_path):
    dossier_id = signed_dossier_ready(pages=3)
    service.sign(UNITS, user_named("lanhdao"), dossier_id)
    entries = service.seal(UNITS, user_named("vanthu"), dossier_id)
    assert [e.number for e in entries] == [1]
    assert entries[0].number_text == "1/ĐT" and entries[0].book.endswith("-SCTĐT/BS")
    with session_scope() as session:
        dossier = session.get(Dossier, dossier_id)
        assert dossier.state == workflow.ISSUED
        mails = session.exec(select(EmailMessage).where(EmailMessage.dossier_id == dossier_id)).all()
    assert len(mails) == 1 and mails[0].attachment_sha256 == entries[0].file_sha256
    pdf = files.read_bytes(entries[0].file_sha256)
    result = service.verify_bytes(pdf)
    assert result.status == "valid", result.to_dict()
    assert {s.role for s in result.signatures} == {"leader", "office"}
    # the CLI, as support staff would run it
    path = tmp_path / "copy.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([sys.executable, "main.py", "verify", str(path), "--json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["valid"] is True and report["certification_number"] == "1/ĐT"


def test_seal_is_refused_before_the_leader_signs(db_url):
    dossier_id = signed_dossier_ready(pages=1)
    with pytest.raises(workflow.IllegalTransition):
        service.seal(UNITS, user_named("vanthu"), dossier_id)
    with session_scope() as session:
        counter = session.exec(select(RegisterCounter)).first()
        assert counter is None or counter.last_number == 0


def test_failed_seal_consumes_no_number(db_url, monkeypatch):
    dossier_id = signed_dossier_ready(pages=1)
    service.sign(UNITS, user_named("lanhdao"), dossier_id)

    def broken_seal(*args, **kwargs):
        raise RuntimeError("token unplugged")

    monkeypatch.setattr(sign_seal, "seal_file_as_office", broken_seal)
    with pytest.raises(RuntimeError):
        service.seal(UNITS, user_named("vanthu"), dossier_id)
    monkeypatch.undo()
    with session_scope() as session:
        assert session.exec(select(RegisterEntry)).all() == []
        assert session.get(Dossier, dossier_id).state == workflow.SIGNED
    entries = service.seal(UNITS, user_named("vanthu"), dossier_id)
    assert entries[0].number == 1


def test_each_original_gets_its_own_consecutive_number(db_url):
    first = signed_dossier_ready(pages=1, title="Bằng tốt nghiệp")
    second = signed_dossier_ready(pages=2, title="Giấy khai sinh")
    for dossier_id in (first, second):
        service.sign(UNITS, user_named("lanhdao"), dossier_id)
    numbers = [e.number for d in (first, second) for e in service.seal(UNITS, user_named("vanthu"), d)]
    assert numbers == [1, 2]


def test_concurrent_seals_never_share_a_number(db_url):
    ids = [signed_dossier_ready(pages=1, email=None) for _ in range(6)]
    for dossier_id in ids:
        service.sign(UNITS, user_named("lanhdao"), dossier_id)
    sealer = user_named("vanthu")
    errors = []

    def seal_one(dossier_id):
        try:
            service.seal(UNITS, sealer, dossier_id)
        except Exception as exc:  # noqa: BLE001 — collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=seal_one, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with session_scope() as session:
        numbers = sorted(e.number for e in session.exec(select(RegisterEntry)))
    assert numbers == list(range(1, 7))


def test_leader_of_another_office_cannot_touch_the_dossier(db_url):
    from domain.access import CurrentUser

    dossier_id = signed_dossier_ready(pages=1)
    stranger = CurrentUser(
        account_id=999,
        username="x",
        full_name="Người lạ",
        kind="official",
        office_id=424242,
        rights=frozenset({"sign_copy"}),
    )
    with pytest.raises(AccessDenied):
        service.sign(UNITS, stranger, dossier_id)


def test_submit_without_fee_or_scan_says_what_is_missing(db_url):
    clerk = user_named("chungthuc")
    with write_scope() as session:
        dossier = dossiers.open_dossier(session, clerk, dossiers.RequesterData(name="Trần Thị Bình"))
    with write_scope() as session:
        dossiers.save_original(session, clerk, dossier.id, dossiers.OriginalData(title="Học bạ", pages=4))
    with write_scope() as session, pytest.raises(WorkflowError) as problem:
        dossiers.submit(session, clerk, dossier.id)
    assert "chưa có bản scan" in problem.value.message
    assert "chưa nộp phí" in problem.value.message
    assert "Điều 22" in problem.value.message
