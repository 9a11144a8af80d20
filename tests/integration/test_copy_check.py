"""Issue 27.1: a copy is checked before it is numbered (after the office's seal) and before the leader's
signature is accepted; a refused copy uses no number, leaves no gap, and the refusal is audited."""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from sqlmodel import select

from app import files
from app.db import UNITS, session_scope, write_scope
from app.signing import certification_service as service
from app.signing import sign_seal
from app.signing.copy_check import CopyRefused
from domain import dossiers, workflow
from domain.models import AuditEvent, Dossier, ScanPage
from tests.support import pdf_corpus
from tests.support.pdf_flow import Uploaded, register_numbers, signed_copy
from tests.support.workflow import signed_dossier_ready, user_named


def add_blank_page(pdf: bytes) -> bytes:
    """A change no signature allows, made after the office signed (a broken sealing step)."""
    from pypdf import PdfWriter

    writer = PdfWriter(BytesIO(pdf), incremental=True)
    writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def audited(action: str) -> list[str]:
    with session_scope() as session:
        return [e.summary for e in session.exec(select(AuditEvent).where(AuditEvent.action == action)).all()]


def test_a_sealed_copy_that_fails_verification_gets_no_number_and_leaves_no_gap(demo_db, monkeypatch):
    dossier_id = signed_dossier_ready(pages=1)
    service.sign(UNITS, user_named("lanhdao"), dossier_id)
    real_seal = sign_seal.seal_file_as_office

    def sealed_then_changed(source, target, *args, **kwargs):
        real_seal(source, target, *args, **kwargs)
        Path(target).write_bytes(add_blank_page(Path(target).read_bytes()))

    monkeypatch.setattr(sign_seal, "seal_file_as_office", sealed_then_changed)
    with pytest.raises(CopyRefused) as refused:
        service.seal(UNITS, user_named("vanthu"), dossier_id)
    assert "Chưa đóng dấu" in refused.value.message and "không cấp số" in refused.value.message
    assert register_numbers() == ([], 0)
    with session_scope() as session:
        assert session.get(Dossier, dossier_id).state == workflow.SIGNED
    assert len(audited("copy_check_failed")) == 1
    monkeypatch.undo()
    entries = service.seal(UNITS, user_named("vanthu"), dossier_id)
    assert [e.number for e in entries] == [1]  # the next good seal takes number 1: no gap
    assert service.verify_bytes(files.read_bytes(entries[0].file_sha256)).status == "valid"


def test_the_leader_signature_is_refused_when_a_page_shows_less_than_the_stored_one(demo_db):
    """An original stored before uploads were normalised: a filled form whose value only a viewer draws
    (NeedAppearances). Its copy would show an empty field: the leader's step is refused, naming page 1."""
    dossier_id = signed_dossier_ready(pages=1)
    with session_scope() as session:
        original = dossiers.originals_of(session, dossier_id)[0]
        page = dossiers.pages_of(session, original.id)[0]
    with write_scope() as session:  # the stored scan replaced as it was kept before issue 27
        sha = files.store_bytes(pdf_corpus.pikepdf_form(stale_appearance=True), "application/pdf", session)
        session.commit()
    with write_scope() as session:
        row = session.get(ScanPage, page.id)
        row.file_sha256, row.page_index = sha, 0
        session.add(row)
        session.commit()
    with pytest.raises(CopyRefused) as refused:
        service.sign(UNITS, user_named("lanhdao"), dossier_id)
    assert "trang 1 của bản sao" in refused.value.message and "Chưa ký số" in refused.value.message
    assert signed_copy(Uploaded(dossier_id, original.id)) is None
    with session_scope() as session:
        assert session.get(Dossier, dossier_id).state == workflow.SUBMITTED
    assert len(audited("copy_check_failed")) == 1

