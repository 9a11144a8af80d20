"""Drive an uploaded PDF through the product's own use cases: attach (the upload path), pay, submit,
the leader's signature, the office's seal; then render pages to compare an original with its copy."""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from app import files
from app.db import UNITS, session_scope, write_scope
from app.dossier_service import attach_scan
from app.signing import certification_service as service
from domain import dossiers, payments
from domain.models import Original, RegisterCounter, RegisterEntry
from tests.support.workflow import user_named


@dataclass
class Uploaded:
    dossier_id: int
    original_id: int


def upload_pdf(data: bytes, filename: str = "ban-chinh.pdf", title: str = "Giấy tờ") -> Uploaded:
    """A dossier with one original whose scan is this file, uploaded, paid and submitted."""
    clerk = user_named("chungthuc")
    with write_scope() as session:
        dossier = dossiers.open_dossier(session, clerk, dossiers.RequesterData(
            name="Nguyễn Văn An", id_number="001099012345", phone="0987654321"))
    with write_scope() as session:
        original = dossiers.save_original(session, clerk, dossier.id, dossiers.OriginalData(
            title=title, issuer="UBND phường Hoàn Kiếm", pages=1,
            checks=["not_altered", "legible", "not_secret", "lawful_content"]))
    attach_scan(UNITS, clerk, original.id, data, filename)
    with write_scope() as session:
        fee = dossiers.dossier_fee(session, dossier.id)
        payments.record_payment(session, user_named("motcua"), dossier.id, "cash", fee, f"BL-{dossier.id}")
    with write_scope() as session:
        dossiers.submit(session, clerk, dossier.id)
    return Uploaded(dossier.id, original.id)


def sign_and_seal(up: Uploaded) -> bytes:
    """The issued copy (leader, then office)."""
    service.sign(UNITS, user_named("lanhdao"), up.dossier_id)
    entries = service.seal(UNITS, user_named("vanthu"), up.dossier_id)
    return files.read_bytes(entries[0].file_sha256)


def stored_scan(up: Uploaded) -> bytes:
    """The file stored for the original's first scan page (as normalised at upload)."""
    with session_scope() as session:
        page = dossiers.pages_of(session, up.original_id)[0]
    return files.read_bytes(page.file_sha256)


def signed_copy(up: Uploaded) -> bytes | None:
    with session_scope() as session:
        sha = session.get(Original, up.original_id).signed_sha256
    return files.read_bytes(sha) if sha else None


def register_numbers() -> tuple[list[int], int]:
    """(the numbers of every register entry, the counter's last number)."""
    with session_scope() as session:
        numbers = [e.number for e in session.exec(select(RegisterEntry)).all()]
        counter = session.exec(select(RegisterCounter)).first()
        return numbers, counter.last_number if counter else 0


def render(pdf: bytes, index: int, scale: float = 0.5, forms: bool = True):
    """One page as a greyscale PIL image (forms drawn as a viewer draws them)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        if forms:
            doc.init_forms()
        page = doc[index]
        try:
            return page.render(scale=scale, may_draw_forms=forms).to_pil().convert("L")
        finally:
            page.close()
    finally:
        doc.close()


def page_text(pdf: bytes, index: int) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[index]
        textpage = page.get_textpage()
        try:
            return textpage.get_text_range()
        finally:
            textpage.close()
            page.close()
    finally:
        doc.close()


def page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def differing_fraction(a, b) -> float:
    """The share of pixels that differ by more than a faint shade (same size required)."""
    from PIL import ImageChops

    assert a.size == b.size, (a.size, b.size)
    diff = ImageChops.difference(a, b).point(lambda v: 255 if v > 48 else 0)
    return sum(diff.histogram()[255:]) / (a.size[0] * a.size[1])
