"""The scan, ID-scan and verify uploads posted over HTTP to the pages' real upload endpoints, as a browser
does: what arrives is stored whole (or refused with a Vietnamese message), and a body over the limit is
refused. The kill in the middle of an upload that writes to the file store is in
tests/e2e/test_upload_kill_browser.py (it needs the real server process)."""
from __future__ import annotations

import hashlib
import io

from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

from app import files
from app.db import session_scope, write_scope
from domain import dossiers
from domain.models import ScanPage, StoredFile
from tests.support.cards import make_id_scan_pdf, random_person
from tests.support.http_upload import post_files, upload_url
from tests.support.workflow import scan_page_jpeg, user_named
from tests.ui.test_sign_in_pages import sign_in

MB = 1024 * 1024


def _draft_with_original() -> int:
    clerk = user_named("chungthuc")
    with write_scope() as session:
        dossier = dossiers.open_dossier(session, clerk, dossiers.RequesterData(
            name="Nguyễn Văn An", id_number="001099012345", phone="0987654321"))
    with write_scope() as session:
        dossiers.save_original(session, clerk, dossier.id, dossiers.OriginalData(
            title="Giấy khai sinh", issuer="UBND phường Hoàn Kiếm", pages=2,
            checks=["not_altered", "legible", "not_secret", "lawful_content"]))
    return dossier.id


async def _scan_upload(user: User) -> ui.upload:
    dossier_id = _draft_with_original()
    await sign_in(user, "chungthuc")
    await user.open(f"/dossier/{dossier_id}")
    await user.should_see("Bản scan: 0 trang", retries=100)
    return user.find(marker="scan-upload-1").elements.pop()


async def test_scan_posted_to_the_upload_endpoint_is_stored_whole(user: User):
    await _scan_upload(user)
    pages = [scan_page_jpeg(f"GIẤY KHAI SINH — trang {i}", dpi=100) for i in (1, 2)]
    for i, page in enumerate(pages, 1):
        element = user.find(marker="scan-upload-1").elements.pop()  # the section is redrawn after each upload
        response = await post_files(user, element, [(f"trang-{i}.jpg", "image/jpeg", page)])
        assert response.status_code == 200
        await user.should_see(f"Bản scan: {i} trang", retries=200)
    with session_scope() as session:
        stored = {page.file_sha256 for page in session.exec(select(ScanPage))}
        rows = {f.sha256: f.size for f in session.exec(select(StoredFile))}
    assert stored == {hashlib.sha256(p).hexdigest() for p in pages}
    for sha in stored:
        assert files.read_bytes(sha) in pages and rows[sha] == len(files.read_bytes(sha))


async def test_a_word_file_posted_as_a_scan_is_refused_and_nothing_is_stored(user: User):
    element = await _scan_upload(user)
    with session_scope() as session:
        before = len(session.exec(select(StoredFile)).all())
    response = await post_files(user, element, [("scan.jpg", "image/jpeg", b"PK\x03\x04 not an image" * 100)])
    assert response.status_code == 200  # the endpoint took the body; the page refuses it
    await user.should_see("Bản scan: 0 trang")
    with session_scope() as session:
        assert len(session.exec(select(StoredFile)).all()) == before
        assert session.exec(select(ScanPage)).all() == []


async def test_a_scan_body_over_the_limit_is_refused_by_the_endpoint(user: User, monkeypatch):
    """OVER-LIMIT (issue 15.5): the endpoint answers 413 before the page handler ever sees the body."""
    from app.settings import reload_settings

    monkeypatch.setenv("MAX_SCAN_MB", "2")
    reload_settings()
    element = await _scan_upload(user)
    response = await post_files(
        user, element, [("lon.pdf", "application/pdf", b"%PDF-1.7\n" + b"\0" * (5 * MB))]
    )
    assert response.status_code == 413
    with session_scope() as session:
        assert session.exec(select(ScanPage)).all() == []


async def test_id_scan_posted_to_the_upload_endpoint_fills_the_form(user: User):
    person = random_person(5)
    await sign_in(user, "chungthuc")
    await user.open("/intake/new")
    user.find(marker="id-prefill").elements.pop().set_value(True)  # the form is built when first opened
    element = next(e for e in user.find(kind=ui.upload).elements)
    response = await post_files(user, element, [("cccd.pdf", "application/pdf", make_id_scan_pdf(person))])
    assert response.status_code == 200
    await user.should_see("QR", retries=300)
    # nothing is copied on reading: the official confirms the QR-checked fields, then copies them
    user.find("Xác nhận tất cả trường đã kiểm chứng bằng QR/MRZ").click()
    user.find(marker="id-copy").click()
    assert user.find(marker="req-name").elements.pop().value.upper() == person["full_name"].upper()


async def test_verify_upload_over_http_reads_the_file_and_stores_nothing(user: User):
    await user.open("/verify")
    element = user.find(marker="verify-upload").elements.pop()
    assert upload_url(element).startswith("/_nicegui/client/")
    with session_scope() as session:
        before = len(session.exec(select(StoredFile)).all())
    buf = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (50, 50), "white").save(buf, "PDF")
    response = await post_files(user, element, [("ban-sao.pdf", "application/pdf", buf.getvalue())])
    assert response.status_code == 200
    await user.should_see("chữ ký", retries=200)
    with session_scope() as session:
        assert len(session.exec(select(StoredFile)).all()) == before
