"""Tablet photos carry an EXIF orientation (issue 12.8): a JPEG with each orientation 1–8, uploaded as an
original's scan, is upright in the preview and on the leader-signed copy (rendered with pypdfium2: the
black marker that is top-left in the upright picture is top-left on the page)."""
from __future__ import annotations

import io

from PIL import Image

from app.db import UNITS, session_scope, write_scope
from app.dossier_service import attach_scan
from app.files import read_bytes
from app.intake.scans import thumbnail
from app.signing import certification_service as service
from domain import dossiers, payments
from domain.models import Original
from tests.support.hostile_files import jpeg_exif
from tests.support.workflow import user_named

ORIENTATIONS = range(1, 9)


def marker_is_top_left(image: Image.Image) -> bool:
    """The picture is light grey with a black square at its top-left; find the picture's box on the white page
    and where the dark pixels sit inside it. Upright means portrait and the marker in the top-left quarter."""
    grey = image.convert("L")
    picture = grey.point(lambda v: 255 if v < 235 else 0).getbbox()
    dark = grey.point(lambda v: 255 if v < 80 else 0).getbbox()
    assert picture and dark, "nothing drawn"
    left, top, right, bottom = picture
    cx, cy = (dark[0] + dark[2]) / 2, (dark[1] + dark[3]) / 2
    portrait = (bottom - top) > (right - left)
    return portrait and cx < left + (right - left) / 3 and cy < top + (bottom - top) / 3


def test_every_exif_orientation_is_upright_in_the_preview_and_on_the_signed_copy(demo_db):
    import pypdfium2 as pdfium

    clerk = user_named("chungthuc")
    with write_scope() as session:
        dossier = dossiers.open_dossier(session, clerk, dossiers.RequesterData(
            name="Nguyễn Văn An", id_number="001099012345", phone="0987654321"))
    with write_scope() as session:
        original = dossiers.save_original(session, clerk, dossier.id, dossiers.OriginalData(
            title="Ảnh chụp bằng máy tính bảng", issuer="UBND", pages=1,
            checks=["not_altered", "legible", "not_secret", "lawful_content"]))
    for orientation in ORIENTATIONS:
        attach_scan(UNITS, clerk, original.id, jpeg_exif(orientation), f"exif-{orientation}.jpg")
    with session_scope() as session:
        pages = dossiers.pages_of(session, original.id)
    assert len(pages) == 8
    for orientation, page in zip(ORIENTATIONS, pages, strict=False):
        preview = Image.open(io.BytesIO(thumbnail(page.file_sha256, page.page_index, 0)))
        assert marker_is_top_left(preview), f"preview of orientation {orientation}"
    with write_scope() as session:
        fee = dossiers.dossier_fee(session, dossier.id)
        payments.record_payment(session, user_named("motcua"), dossier.id, "cash", fee, "BL-EXIF")
    with write_scope() as session:
        dossiers.submit(session, clerk, dossier.id)
    service.sign(UNITS, user_named("lanhdao"), dossier.id)
    with session_scope() as session:
        signed = read_bytes(session.get(Original, original.id).signed_sha256)
    pdf = pdfium.PdfDocument(signed)
    try:
        assert len(pdf) == 9  # eight pictures and the statement page
        wrong = []
        for index, orientation in enumerate(ORIENTATIONS):
            page = pdf[index]
            if not marker_is_top_left(page.render(scale=0.5).to_pil()):
                wrong.append(orientation)
            page.close()
    finally:
        pdf.close()
    assert wrong == []
