"""Thick originals for tests and benches: a scanned-like PDF of many small image pages, made in a moment,
and a dossier holding it, submitted and paid (ready for the leader's signature)."""
from __future__ import annotations

import io

from PIL import Image, ImageDraw

from app import files
from app.db import write_scope
from domain import dossiers, payments
from tests.support.workflow import user_named


def scanned_pdf(pages: int, dpi: int = 40) -> bytes:
    """`pages` A4 pages, each a small grey picture saying its number (like a scanner's PDF)."""
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    images = []
    for n in range(1, pages + 1):
        image = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(image)
        draw.text((dpi, dpi), f"Trang {n}", fill=0)
        for i in range(6):
            draw.line((dpi, dpi * (2 + i), width - dpi, dpi * (2 + i)), fill=128, width=1)
        images.append(image)
    buf = io.BytesIO()
    images[0].save(buf, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return buf.getvalue()


def open_original(pages: int, title: str = "Hồ sơ địa chính") -> tuple[int, int]:
    """A dossier with an original of `pages` scanned pages (one PDF upload), unpaid: (dossier, original)."""
    clerk = user_named("chungthuc")
    with write_scope() as session:
        dossier = dossiers.open_dossier(session, clerk, dossiers.RequesterData(
            name="Trần Thị Bình", id_number="001099054321", phone="0912345678", email=None))
    with write_scope() as session:
        original = dossiers.save_original(session, clerk, dossier.id, dossiers.OriginalData(
            title=title, issuer="UBND phường Hoàn Kiếm", pages=pages,
            checks=["not_altered", "legible", "not_secret", "lawful_content"]))
    add_scan(original.id, scanned_pdf(pages), pages)
    return dossier.id, original.id


def add_scan(original_id: int, data: bytes, pages: int) -> None:
    """An upload by the certifying official: the file stored, its pages attached (two transactions)."""
    clerk = user_named("chungthuc")
    with write_scope() as session:
        sha = files.store_bytes(data, "application/pdf" if data[:5] == b"%PDF-" else "image/jpeg", session)
        session.commit()
    with write_scope() as session:
        dossiers.add_scan_pages(session, clerk, original_id, sha, pages)


def pay(dossier_id: int) -> None:
    with write_scope() as session:
        fee = dossiers.dossier_fee(session, dossier_id)
        payments.record_payment(session, user_named("motcua"), dossier_id, "cash", fee, f"BL-{dossier_id}")


def thick_dossier_ready(pages: int) -> int:
    """A dossier with a `pages`-page original, paid and submitted: waiting for the leader's signature."""
    dossier_id, _ = open_original(pages)
    pay(dossier_id)
    with write_scope() as session:
        dossiers.submit(session, user_named("chungthuc"), dossier_id)
    return dossier_id
