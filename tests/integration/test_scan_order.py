"""Issue 18: a copy is built from the stored pages in their stored order, and the leader's signature and
the office's seal are refused when the copy and the stored pages disagree (count, order, content)."""
from __future__ import annotations

import pytest
from sqlmodel import select

from app import files
from app.db import UNITS, session_scope, write_scope
from app.signing import certification_service as service
from app.signing import sign_seal
from app.signing.copy_pdf import page_sources
from domain import workflow
from domain.dossiers import WorkflowError, originals_of, pages_of
from domain.models import Dossier, Original, RegisterCounter, RegisterEntry, ScanPage
from domain.scan_order import check_copy_pages, page_ref
from tests.support.workflow import signed_dossier_ready, user_named


def _pages(dossier_id: int) -> list[ScanPage]:
    with session_scope() as session:
        original = originals_of(session, dossier_id)[0]
        return pages_of(session, original.id)


def _swap_first_two(dossier_id: int) -> None:
    with write_scope() as session:
        first, second = (session.get(ScanPage, p.id) for p in _pages(dossier_id)[:2])
        first.position, second.position = second.position, first.position
        session.commit()


def _state(dossier_id: int) -> str:
    with session_scope() as session:
        return session.get(Dossier, dossier_id).state


def test_signed_copy_carries_the_stored_pages_in_order(db_url):
    dossier_id = signed_dossier_ready(pages=3)
    service.sign(UNITS, user_named("lanhdao"), dossier_id)
    with session_scope() as session:
        original = originals_of(session, dossier_id)[0]
        signed = files.read_bytes(original.signed_sha256)
    assert page_sources(signed) == [page_ref(p) for p in _pages(dossier_id)] + [""]


def test_signing_is_refused_when_stored_positions_clash(db_url):
    dossier_id = signed_dossier_ready(pages=3)
    with write_scope() as session:  # two pages claim the same place, as a lost race would leave them
        page = session.get(ScanPage, _pages(dossier_id)[2].id)
        page.position = 1
        session.commit()
    with pytest.raises(WorkflowError, match="không nhất quán"):
        service.sign(UNITS, user_named("lanhdao"), dossier_id)
    assert _state(dossier_id) == workflow.SUBMITTED
    with session_scope() as session:
        assert (
            session.exec(select(Original.signed_sha256).where(Original.dossier_id == dossier_id)).one()
            is None
        )


def test_signing_is_refused_when_the_copy_has_pages_out_of_order(db_url, monkeypatch):
    dossier_id = signed_dossier_ready(pages=3)
    build = sign_seal.scan_inputs
    monkeypatch.setattr(
        sign_seal, "scan_inputs", lambda session, original: list(reversed(build(session, original)))
    )
    with pytest.raises(WorkflowError, match="trang 1 của bản sao không phải trang 1"):
        service.sign(UNITS, user_named("lanhdao"), dossier_id)
    assert _state(dossier_id) == workflow.SUBMITTED


def test_sealing_is_refused_when_pages_were_reordered_after_signing(db_url):
    dossier_id = signed_dossier_ready(pages=3)
    service.sign(UNITS, user_named("lanhdao"), dossier_id)
    _swap_first_two(dossier_id)
    with pytest.raises(WorkflowError, match="Chưa đóng dấu"):
        service.seal(UNITS, user_named("vanthu"), dossier_id)
    assert _state(dossier_id) == workflow.SIGNED
    with session_scope() as session:  # no register number was used
        assert session.exec(select(RegisterEntry)).all() == []
        assert all(c.last_number == 0 for c in session.exec(select(RegisterCounter)).all())


def test_sealing_is_refused_when_a_page_was_deleted_after_signing(db_url):
    dossier_id = signed_dossier_ready(pages=3)
    service.sign(UNITS, user_named("lanhdao"), dossier_id)
    with write_scope() as session:
        session.delete(session.get(ScanPage, _pages(dossier_id)[2].id))
        session.commit()
    with pytest.raises(WorkflowError, match="bản sao có 3 trang scan, hồ sơ lưu 2 trang"):
        service.seal(UNITS, user_named("vanthu"), dossier_id)
    assert _state(dossier_id) == workflow.SIGNED


def test_check_names_the_first_page_out_of_place():
    pages = [ScanPage(id=i, original_id=1, position=i, file_sha256=f"{i:064x}") for i in range(3)]
    refs = [page_ref(p) for p in pages]
    check_copy_pages(refs + [""], pages, "Giấy khai sinh", "ký số")  # in order: accepted
    with pytest.raises(WorkflowError, match="trang 2 của bản sao không phải trang 2"):
        check_copy_pages([refs[0], refs[2], refs[1], ""], pages, "Giấy khai sinh", "ký số")
    with pytest.raises(WorkflowError):  # a scan page after the statement page
        check_copy_pages(refs[:2] + ["", refs[2]], pages, "Giấy khai sinh", "ký số")
    with pytest.raises(WorkflowError) as refused:  # an unmarked page added after the statement page
        check_copy_pages(refs + ["", ""], pages, "Giấy khai sinh", "đóng dấu")
    assert str(refused.value) == (
        "Bản sao «Giấy khai sinh» không khớp với các trang scan đã lưu (trang 5 của bản sao không phải "
        "trang 5 đã lưu). Chưa đóng dấu; vui lòng trả lại hồ sơ để cán bộ chứng thực kiểm tra lại bản scan.")


def test_stored_pages_that_clash_are_named_by_the_originals_title():
    pages = [ScanPage(id=i, original_id=1, position=min(i, 1), file_sha256=f"{i:064x}") for i in range(3)]
    with pytest.raises(WorkflowError) as refused:
        check_copy_pages([page_ref(p) for p in pages] + [""], pages, "Giấy khai sinh", "ký số")
    assert str(refused.value) == (
        "Thứ tự các trang scan của «Giấy khai sinh» không nhất quán (trùng hoặc thiếu vị trí). "
        "Cán bộ chứng thực cần kiểm tra lại bản scan trước khi ký.")
