"""Long actions end in a result or a Vietnamese message, never a spinner turning on (issue 33 point 3):
the verification of a copy, a scan upload whose storing hangs, an ID read whose process stops answering."""
from __future__ import annotations

import asyncio
import contextlib
import io
import os
import signal
import sys
import threading

import pikepdf
import pytest
from nicegui import run, ui
from nicegui.testing import User

from app.db import session_scope, write_scope
from app.verification.public_verify import LIMITER
from domain import dossiers
from tests.support.cards import make_id_scan_pdf, random_person
from tests.support.http_upload import post_files
from tests.support.workflow import scan_page_jpeg, user_named
from tests.ui.test_sign_in_pages import sign_in


@pytest.fixture(autouse=True)
def fresh_limiter():
    LIMITER.reset()
    yield
    LIMITER.reset()


def _blank_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _verify_page():
    """The page module the running app uses (the harness imports the app afresh for each test)."""
    return sys.modules["pages.verify"]


def _broken_verification(*_args):
    raise ValueError("the validator gave up on this file")


async def test_a_failing_verification_of_an_upload_shows_a_message(user: User, monkeypatch):
    monkeypatch.setattr(_verify_page(), "verify_cached", _broken_verification)
    await user.open("/verify")
    element = user.find(ui.upload).elements.pop()
    response = await post_files(user, element, [("ban-sao.pdf", "application/pdf", _blank_pdf())])
    assert response.status_code == 200
    await user.should_see(marker="verify-failed", retries=100)
    await user.should_see("Không kiểm tra được bản sao lúc này")
    await user.should_not_see(kind=ui.spinner)


async def test_a_failing_lookup_by_code_shows_a_message(user: User, monkeypatch):
    monkeypatch.setattr(_verify_page(), "verify_by_code", _broken_verification)
    await user.open("/verify/ABCD-EFGH")
    await user.should_see(marker="verify-failed", retries=100)
    await user.should_not_see(kind=ui.spinner)


def _dossier_with_an_original() -> tuple[int, int]:
    clerk = user_named("chungthuc")
    with write_scope() as session:
        dossier = dossiers.open_dossier(session, clerk, dossiers.RequesterData(
            name="Nguyễn Văn An", id_number="001099012345", phone="0987654321"))
    with write_scope() as session:
        original_id = dossiers.save_original(session, clerk, dossier.id, dossiers.OriginalData(
            title="Giấy khai sinh", issuer="UBND", pages=1,
            checks=["not_altered", "legible", "not_secret", "lawful_content"])).id
    return dossier.id, original_id


def _pages(original_id: int) -> int:
    with session_scope() as session:
        return len(dossiers.pages_of(session, original_id))


@pytest.mark.sqlite_only(reason="the page's bound, not the database")
async def test_a_scan_upload_that_hangs_ends_in_a_message_and_stores_nothing(user: User, monkeypatch):
    editor = sys.modules["components.scan_editor"]
    dossier_id, original_id = _dossier_with_an_original()
    gate, ended = threading.Event(), threading.Event()
    real = editor.attach_scan

    def hanging(*args, **kwargs):  # the store (a disk, a pathological PDF) does not come back
        try:
            gate.wait(120)
            return real(*args, **kwargs)
        finally:
            ended.set()

    monkeypatch.setattr(editor, "attach_scan", hanging)
    monkeypatch.setenv("UPLOAD_TIMEOUT_S", "2")
    await sign_in(user, "chungthuc")
    await user.open(f"/dossier/{dossier_id}")
    await user.should_see("Bản scan: 0 trang")
    upload = user.find(marker="scan-upload-1").elements.pop()
    await post_files(user, upload, [("trang-1.jpg", "image/jpeg", scan_page_jpeg())])
    try:
        await user.should_see("✗ «trang-1.jpg»: Thao tác chưa xong sau 2 giây nên đã dừng", retries=300)
    finally:
        gate.set()
    await user.should_not_see(marker="scan-progress-1")
    await asyncio.to_thread(ended.wait, 60)
    assert _pages(original_id) == 0  # given up before its write: nothing stored, even later



@pytest.mark.sqlite_only(reason="the worker process and the page, not the database")
async def test_an_id_read_whose_process_stops_answering_ends_in_a_message(user: User, monkeypatch):
    card = make_id_scan_pdf(random_person(12))
    monkeypatch.setenv("IDCARD_READ_LIMIT_S", "3")
    await sign_in(user, "chungthuc")
    await user.open("/intake/new")
    user.find(marker="id-prefill").elements.pop().set_value(True)  # the form is built when first opened
    readers = {await run.cpu_bound(os.getpid)}  # the pool's process, up before the read is sent to it
    for pid in readers:
        os.kill(pid, signal.SIGSTOP)  # alive, never answering: what a reader stuck in a library looks like
    try:
        element = next(e for e in user.find(kind=ui.upload).elements)
        await post_files(user, element, [("cccd.pdf", "application/pdf", card)])
        await user.should_see("Đọc thẻ quá 3 giây nên đã dừng; hãy nhập tay theo thẻ", retries=300)
        await user.should_not_see(marker="id-progress")
    finally:
        for pid in readers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    monkeypatch.setenv("IDCARD_READ_LIMIT_S", "120")
    await post_files(user, element, [("cccd.pdf", "application/pdf", card)])  # the form is usable: read anew
    await user.should_see("QR", retries=600)
    await user.should_not_see(marker="id-read-failed")
