"""A leader signs and a seal keeper seals a thick copy (117 scanned pages) while another clerk uploads a
scan and takes a fee payment in the same moment: the clerk's work succeeds, on SQLite and PostgreSQL.

The other clerk acts from inside the signing (the signing waits for it): a signing that held the
database's write lock would make the clerk wait the busy timeout (here 2 s) and fail."""
import io
import pickle
import threading

import pytest
from pypdf import PdfReader
from sqlmodel import select

from app import files
from app.db import UNITS, dispose_engine, session_scope
from app.settings import reload_settings
from app.signing import certification_service as service
from app.signing import sign_seal, worker
from app.signing.copy_pdf import page_sources
from domain import workflow
from domain.dossiers import pages_of
from domain.models import Dossier, Payment
from domain.scan_order import page_ref
from tests.support.thick import add_scan, open_original, pay, scanned_pdf, thick_dossier_ready
from tests.support.workflow import user_named

PAGES = 117


@pytest.fixture
def short_busy_timeout(db_url, monkeypatch):
    monkeypatch.setenv("DB_BUSY_TIMEOUT", "2")
    dispose_engine()
    reload_settings()


def other_clerk_in_the_window(monkeypatch, name: str, done: list) -> None:
    """Replace sign_seal.<name> (the signing) by one that lets another clerk upload and take a payment
    first, in another thread, and waits for it (at most a minute)."""
    other_dossier, other_original = open_original(1, title="Giấy khai sinh")
    real = getattr(sign_seal, name)

    def clerk() -> None:
        try:
            add_scan(other_original, scanned_pdf(2), 2)
            pay(other_dossier)
            done.append("ok")
        except Exception as exc:  # noqa: BLE001 — asserted by the test
            done.append(exc)

    def signing_with_a_clerk_at_work(*args, **kwargs):
        thread = threading.Thread(target=clerk)
        thread.start()
        thread.join(timeout=60)
        return real(*args, **kwargs)

    monkeypatch.setattr(sign_seal, name, signing_with_a_clerk_at_work)
    return other_dossier, other_original


def test_a_clerk_works_while_a_thick_copy_is_signed_and_sealed(short_busy_timeout, monkeypatch):
    dossier_id = thick_dossier_ready(PAGES)

    signing: list = []
    other_dossier, other_original = other_clerk_in_the_window(monkeypatch, "sign_file_as_leader", signing)
    service.sign(UNITS, user_named("lanhdao"), dossier_id)
    assert signing == ["ok"]

    sealing: list = []
    other_clerk_in_the_window(monkeypatch, "seal_file_as_office", sealing)
    entries = service.seal(UNITS, user_named("vanthu"), dossier_id)
    assert sealing == ["ok"]

    with session_scope() as session:
        assert session.get(Dossier, dossier_id).state == workflow.ISSUED
        assert len(pages_of(session, other_original)) == 1 + 2  # the clerk's upload is there
        assert session.exec(select(Payment).where(Payment.dossier_id == other_dossier)).first() is not None
    assert [e.number for e in entries] == [1]
    copy = files.read_bytes(entries[0].file_sha256)
    assert len(PdfReader(io.BytesIO(copy)).pages) == PAGES + 1  # and the statement page
    assert service.verify_bytes(copy).status == "valid"


def test_the_leader_and_the_seal_keeper_hear_each_step(demo_db):
    dossier_id = thick_dossier_ready(3)
    heard: list[str] = []
    service.sign(UNITS, user_named("lanhdao"), dossier_id, progress=heard.append)
    assert heard == ["Đang dựng bản sao «Hồ sơ địa chính» (3 trang)…",
                     "Đang ký số và lấy dấu thời gian cho «Hồ sơ địa chính»…",
                     "Đang ghi kết quả…"]
    heard.clear()
    service.seal(UNITS, user_named("vanthu"), dossier_id, progress=heard.append)
    assert heard == ["Đang đóng dấu số 1/ĐT và lấy dấu thời gian cho «Hồ sơ địa chính»…",
                     "Đang ghi vào sổ chứng thực…"]


def test_a_300_page_copy_is_built_and_checked_in_the_signing_process_from_the_stored_files(demo_db,
                                                                                           monkeypatch):
    """The copy goes between the server and the signing process as a path, never as its bytes (a
    1,000-page copy pickled both ways held ~1.2 GB), and still shows every stored page, in order."""
    dossier_id = thick_dossier_ready(300)
    crossed: list[int] = []
    submit = worker._submit
    monkeypatch.setattr(worker, "_submit", lambda function, *args: crossed.append(len(pickle.dumps(args)))
                        or submit(function, *args))
    worker.start(1)
    try:
        service.sign(UNITS, user_named("lanhdao"), dossier_id)
        entries = service.seal(UNITS, user_named("vanthu"), dossier_id)
    finally:
        worker.stop()
    with session_scope() as session:
        state = session.get(Dossier, dossier_id).state
        pages = pages_of(session, entries[0].original_id)
        original_size = len(files.read_bytes(pages[0].file_sha256))
    copy = files.read_bytes(entries[0].file_sha256)
    assert state == workflow.ISSUED
    assert page_sources(copy) == [page_ref(p) for p in pages] + [""]  # every page, in order (checked too)
    assert service.verify_bytes(copy).status == "valid"
    assert crossed and max(crossed) < original_size / 4  # paths and page marks crossed, not the files
