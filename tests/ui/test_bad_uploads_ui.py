"""A representative part of the bad-input corpus posted to each page's real upload endpoint (NiceGUI User
fixture): the Vietnamese reason is shown, no error page, nothing stored (files under DATA_DIR/files and
StoredFile rows counted before/after), and the page still answers afterwards."""
from __future__ import annotations

import httpx
import pytest
from nicegui import ui
from nicegui.testing import User
from sqlmodel import func, select

from app.db import session_scope, write_scope
from app.settings import get_settings
from domain import dossiers
from domain.models import ScanPage, StoredFile
from tests.support.bad_files import SCAN_LIMIT_MB, corpus
from tests.support.http_upload import post_files
from tests.support.workflow import user_named
from tests.ui.test_sign_in_pages import sign_in

SUBSET = ["empty", "pdf_encrypted", "png_bomb", "jpeg_as_pdf", "name_300_chars", "docx_zip_bomb"]
MESSAGES = {"empty": "rỗng", "pdf_encrypted": "đặt mật khẩu", "png_bomb": "kích thước điểm ảnh quá lớn",
            "jpeg_as_pdf": "ảnh JPEG", "name_300_chars": "Tên tệp quá dài",
            "docx_zip_bomb": "khi giải nén quá lớn"}
VERIFY_MESSAGES = {**MESSAGES, "png_bomb": "Chỉ nhận: PDF", "docx_zip_bomb": "Chỉ nhận: PDF"}
SCAN_MESSAGES = {**MESSAGES, "docx_zip_bomb": "Chỉ nhận: PDF, ảnh JPEG, ảnh PNG"}
ERROR_PAGE = "Đã có lỗi xảy ra"


@pytest.fixture(autouse=True)
def small_scan_limit(monkeypatch):
    from app.settings import reload_settings

    monkeypatch.setenv("MAX_SCAN_MB", str(SCAN_LIMIT_MB))
    reload_settings()


def bad(kind: str):
    return next(f for f in corpus() if f.kind == kind)


def store_counts() -> tuple[int, int]:
    files_dir = get_settings().files_dir
    on_disk = sum(1 for p in files_dir.rglob("*") if p.is_file()) if files_dir.exists() else 0
    with session_scope() as session:
        return on_disk, session.exec(select(func.count()).select_from(StoredFile)).one()


async def send(user: User, element: ui.upload, name: str, data: bytes) -> httpx.Response:
    """Post the file to the page's real upload endpoint, as the browser does."""
    return await post_files(user, element, [(name, "application/octet-stream", data)])


async def refused_everywhere(user: User, find_upload, messages: dict, reopen) -> int:
    """Upload each file of SUBSET; return how many were refused correctly."""
    checked = 0
    for kind in SUBSET:
        f = bad(kind)
        before = store_counts()
        response = await send(user, find_upload(), f.filename, f.data)
        assert response.status_code == 200, (kind, response.status_code)
        await user.should_see(messages[kind], retries=100)
        await user.should_not_see(ERROR_PAGE)
        assert store_counts() == before, kind
        checked += 1
        await reopen()  # the app still answers, the page renders again
    return checked


async def test_citizen_account_id_scan_refuses_bad_files(user: User):
    await sign_in(user, "motcua")

    async def reopen():
        await user.open("/citizen-accounts/new")
        user.find(marker="lookup-id").type("001201004321")
        user.find(marker="lookup").click()
        await user.should_see("chưa có tài khoản", retries=100)

    await reopen()
    n = await refused_everywhere(
        user, lambda: user.find(marker="scan-upload").elements.pop(), MESSAGES, reopen
    )
    assert n == len(SUBSET)


async def test_intake_id_prefill_refuses_bad_files(user: User):
    await sign_in(user, "chungthuc")

    async def reopen():
        await user.open("/intake/new")
        await user.should_see("Điền từ ảnh chụp thẻ căn cước")
        user.find(marker="id-prefill").elements.pop().set_value(True)  # the form is built when first opened

    await reopen()
    n = await refused_everywhere(user, lambda: user.find(kind=ui.upload).elements.pop(), MESSAGES, reopen)
    assert n == len(SUBSET)


async def test_original_scan_upload_refuses_bad_files(user: User):
    clerk = user_named("chungthuc")
    with write_scope() as session:
        dossier = dossiers.open_dossier(session, clerk, dossiers.RequesterData(
            name="Nguyễn Văn An", id_number="001099012345", phone="0987654321"))
    with write_scope() as session:
        dossiers.save_original(session, clerk, dossier.id, dossiers.OriginalData(
            title="Giấy khai sinh", issuer="UBND", pages=1,
            checks=["not_altered", "legible", "not_secret", "lawful_content"]))
    await sign_in(user, "chungthuc")

    async def reopen():
        await user.open(f"/dossier/{dossier.id}")
        await user.should_see("Bản scan: 0 trang")

    await reopen()
    n = await refused_everywhere(
        user, lambda: user.find(marker="scan-upload-1").elements.pop(), SCAN_MESSAGES, reopen
    )
    # the over-limit scan too (MAX_SCAN_MB is small here)
    f = bad("scan_over_limit")
    before = store_counts()
    response = await send(user, user.find(marker="scan-upload-1").elements.pop(), f.filename, f.data)
    assert (
        response.status_code == 413 and f"vượt quá giới hạn dung lượng ({SCAN_LIMIT_MB} MB)" in response.text
    )
    assert store_counts() == before
    with session_scope() as session:
        assert session.exec(select(func.count()).select_from(ScanPage)).one() == 0
    assert n == len(SUBSET)


async def test_verification_upload_refuses_bad_files(user: User):
    from app.verification.public_verify import LIMITER

    LIMITER.reset()

    async def reopen():
        await user.open("/verify")
        await user.should_see("Tra cứu bản sao điện tử")

    await reopen()
    n = await refused_everywhere(
        user, lambda: user.find(marker="verify-upload").elements.pop(), VERIFY_MESSAGES, reopen
    )
    assert n == len(SUBSET)
