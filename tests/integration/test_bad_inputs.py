"""The bad-input corpus (tests/support/bad_files.py) through every upload's checking code, all × all:

- id_scan:    the citizen-account ID scan (pages/citizen_account_new:
              app.intake.uploads.check_upload, 5 MB, 4 pages)
- id_prefill: the intake ID pre-fill form (components.id_prefill.check_upload)
- scan:       original scans (app.intake.scans.check_scan, then app.dossier_service.attach_scan stores them)
- verify:     the public verification upload (pages/verify.check_file: check_upload PDF-only, then
verify_cached)

A refusal must be an UploadRejected (or message) in Vietnamese; nothing may crash; an accepted scan must then
store, draw a thumbnail and render into the copy PDF (CMYK and 16-bit pictures faithfully)."""
from __future__ import annotations

import io

import pytest
from sqlmodel import func, select

from tests.support.bad_files import SCAN_LIMIT_MB, TARGETS, corpus

CORPUS = corpus()
VIETNAMESE = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


@pytest.fixture(autouse=True)
def small_scan_limit(app_env, monkeypatch):
    from app.settings import reload_settings

    monkeypatch.setenv("MAX_SCAN_MB", str(SCAN_LIMIT_MB))
    reload_settings()


def run_check(target: str, data: bytes, name: str) -> str | None:
    """None when accepted, else the Vietnamese refusal; anything else raised is a crash (test fails)."""
    from app.intake.uploads import UploadRejected, check_size, check_upload

    try:
        if target == "id_scan":
            from pages.citizen_account_new import MAX_SCAN_BYTES, SCAN_KINDS, SCAN_PAGES

            check_size(len(data), name, MAX_SCAN_BYTES)
            check_upload(data, name, SCAN_KINDS, MAX_SCAN_BYTES, SCAN_PAGES)
        elif target == "id_prefill":
            from components.id_prefill import check_upload as prefill_check

            return prefill_check(name, data, 5 * 1024 * 1024)
        elif target == "scan":
            from app.intake.scans import check_scan

            check_scan(data, name)
        elif target == "verify":
            from app.verification.public_verify import MAX_UPLOAD_BYTES, verify_cached

            check_size(len(data), name, MAX_UPLOAD_BYTES)
            check_upload(data, name, {"pdf"}, MAX_UPLOAD_BYTES)
            result = verify_cached(data)  # what check_file does next: must not crash either
            assert result.status.value in {"not_found", "altered", "untrusted", "valid", "revoked"}
    except UploadRejected as exc:
        return exc.message
    return None


CASES = [pytest.param(f, t, id=f"{t}-{f.kind}") for f in CORPUS for t in TARGETS]


@pytest.mark.parametrize("bad, target", CASES)
def test_every_upload_accepts_or_refuses_each_file_as_expected(bad, target, request):
    if target == "verify" and bad.expected_for(target) == "accept":
        request.getfixturevalue("demo_db")  # verification then looks the file up in the register
    refusal = run_check(target, bad.data, bad.filename)
    outcome = "accept" if refusal is None else "refuse"
    assert outcome == bad.expected_for(target), f"{bad.kind} via {target}: {outcome} ({refusal})"
    if refusal is not None:
        assert VIETNAMESE & set(refusal.lower()), refusal  # a sentence in Vietnamese, not an exception text
        assert "Traceback" not in refusal and "\x00" not in refusal and len(refusal) < 400


def test_corpus_is_broad_enough():
    kinds = {f.kind for f in CORPUS}
    assert len(kinds) == len(CORPUS) >= 30
    refused = sum(1 for f in CORPUS for t in TARGETS if f.expected_for(t) == "refuse")
    print(f"\nbad-input corpus: {len(CORPUS)} files × {len(TARGETS)} uploads = {len(CASES)} checks, "
          f"{refused} refusals expected")
    for must in (
        "empty",
        "pdf_truncated",
        "pdf_broken_xref",
        "pdf_encrypted",
        "pdf_javascript",
        "pdf_open_action_js",
        "garbage_before_pdf",
        "png_bomb",
        "png_30000x30000",
        "jpeg_as_pdf",
        "html_as_pdf",
        "exe_as_png",
        "svg_script",
        "jpeg_6mb",
        "scan_over_limit",
        "pdf_1001_pages",
        "docx_zip_bomb",
        "name_dotdot",
        "name_control_chars",
        "name_300_chars",
        "gif_animated",
        "tiff",
        "pdf_300_pages",
        "png_a4_600dpi",
        "png_8900_1bit",
        "jpeg_exif_6",
        "docm_as_docx",
        "docx_activex",
        "pdf_zip_polyglot",
        "jpeg_zip_polyglot",
        "png_pdf_polyglot",
        "cmyk_jpeg",
        "png_16bit",
    ):
        assert must in kinds
    assert len(next(f for f in CORPUS if f.kind == "png_30000x30000").data) < 1000
    assert len(next(f for f in CORPUS if f.kind == "png_bomb").data) < 300_000


def _count_store(session, data_dir) -> tuple[int, int]:
    from domain.models import StoredFile

    on_disk = (
        sum(1 for p in (data_dir / "files").rglob("*") if p.is_file()) if (data_dir / "files").exists() else 0
    )
    return on_disk, session.exec(select(func.count()).select_from(StoredFile)).one()


def _rendered_page(pdf: bytes, index: int = 0):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[index]
        return page.render(scale=0.4).to_pil().convert("L")
    finally:
        doc.close()


def test_attach_scan_stores_only_accepted_files_and_they_render_into_the_copy(demo_db, app_env):
    """The whole corpus through attach_scan on one dossier: refused files leave no file and no row; each
    accepted picture is stored as 8-bit (CMYK and 16-bit normalised), thumbnails and renders in the copy."""
    from PIL import Image, ImageStat

    from app.db import UNITS, session_scope, write_scope
    from app.dossier_service import attach_scan
    from app.files import read_bytes
    from app.intake.scans import thumbnail
    from app.intake.uploads import UploadRejected
    from app.signing.copy_pdf import ScanInput, StatementInput, build_copy_pdf
    from domain import dossiers
    from domain.models import ScanPage
    from tests.support.workflow import user_named

    clerk = user_named("chungthuc")
    with write_scope() as session:
        dossier = dossiers.open_dossier(session, clerk, dossiers.RequesterData(
            name="Nguyễn Văn An", id_number="001099012345", phone="0987654321"))
    with write_scope() as session:
        original = dossiers.save_original(session, clerk, dossier.id, dossiers.OriginalData(
            title="Giấy khai sinh", issuer="UBND", pages=1,
            checks=["not_altered", "legible", "not_secret", "lawful_content"]))
    refused = accepted = 0
    for bad in CORPUS:
        with session_scope() as session:
            before = _count_store(session, app_env)
            pages_before = session.exec(select(func.count()).select_from(ScanPage)).one()
        try:
            count = attach_scan(UNITS, clerk, original.id, bad.data, bad.filename)
        except UploadRejected:
            outcome = "refuse"
        else:
            outcome = "accept"
        assert outcome == bad.expected, f"{bad.kind}: {outcome}"
        with session_scope() as session:
            after = _count_store(session, app_env)
            pages = session.exec(select(ScanPage).order_by(ScanPage.id)).all()
        if outcome == "refuse":
            refused += 1
            assert after == before and len(pages) == pages_before, bad.kind
            continue
        accepted += 1
        new = pages[pages_before:]
        assert len(new) == count >= 1
        stored = read_bytes(new[0].file_sha256)
        assert not list((app_env / "files").rglob(".tmp-*"))
        if stored[:4] != b"%PDF":
            with Image.open(io.BytesIO(stored)) as image:
                assert image.mode in {"RGB", "L", "P", "RGBA", "LA", "1"}, (bad.kind, image.mode)
        thumb = thumbnail(new[0].file_sha256, new[0].page_index, 0)
        assert Image.open(io.BytesIO(thumb)).size[0] > 10
        copy = build_copy_pdf([ScanInput(stored)], StatementInput("Nguyễn Văn An", "Giấy khai sinh", "UBND"))
        if stored[:4] != b"%PDF":
            # the picture must be drawn, not a blank page: compare with the thumbnail's grey level spread
            page = ImageStat.Stat(_rendered_page(copy))
            source = ImageStat.Stat(Image.open(io.BytesIO(thumb)).convert("L"))
            assert page.stddev[0] > 0.3 * source.stddev[0], (bad.kind, page.stddev, source.stddev)
    print(f"\nattach_scan: {accepted} accepted and rendered, {refused} refused with nothing stored")
    assert refused >= 30


@pytest.mark.parametrize("kind", ["cmyk_jpeg", "png_16bit", "png_16bit_rgb"])
def test_cmyk_and_16_bit_pictures_keep_their_look_in_the_copy(kind):
    """Normalised on acceptance: the copy shows the same picture (mean grey within a few levels)."""
    from PIL import Image, ImageStat

    from app.intake.scans import normalize_scan
    from app.intake.uploads import sniff

    bad = next(f for f in CORPUS if f.kind == kind)
    data, out_kind = normalize_scan(bad.data, sniff(bad.data))
    assert sniff(data) == out_kind
    with Image.open(io.BytesIO(data)) as image:
        assert image.mode in ("RGB", "L")
        normal = image.convert("L")
    with Image.open(io.BytesIO(bad.data)) as original:
        if original.mode.startswith("I;16"):
            reference = original.convert("I").point(lambda v: v * (1 / 256)).convert("L")
        else:
            reference = original.convert("RGB").convert("L")
    assert abs(ImageStat.Stat(normal).mean[0] - ImageStat.Stat(reference).mean[0]) < 4
    assert ImageStat.Stat(normal).stddev[0] > 0.8 * ImageStat.Stat(reference).stddev[0]
