"""Helpers that drive a dossier through the use cases, for tests and benchmarks."""
from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont
from sqlmodel import select

from app import files
from app.db import session_scope, write_scope
from domain import dossiers, payments
from domain.access import load_current_user
from domain.models import Account

FONT = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"


def user_named(username: str):
    with session_scope() as session:
        account = session.exec(select(Account).where(Account.username == username)).one()
        return load_current_user(session, account)


def scan_page_jpeg(text: str = "GIẤY KHAI SINH", dpi: int = 150) -> bytes:
    """An A4 page 'scan' with some Vietnamese text, as a JPEG with its DPI set."""
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, dpi // 4)
    draw.text((dpi, dpi), text, fill="black", font=font)
    for i in range(8):
        draw.line((dpi, dpi * (2 + i), width - dpi, dpi * (2 + i)), fill="gray", width=2)
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=80, dpi=(dpi, dpi))
    return buf.getvalue()


def signed_dossier_ready(pages: int = 2, title: str = "Giấy khai sinh", email: str | None = "an@example.test",
                         staff_prefix: str = "") -> int:
    """Open a dossier as chungthuc with one original of `pages` scanned pages, paid, submitted
    (`staff_prefix`: the officials of another office, named e.g. "bchungthuc")."""
    clerk = user_named(staff_prefix + "chungthuc")
    cashier = user_named(staff_prefix + "motcua")
    with write_scope() as session:
        dossier = dossiers.open_dossier(session, clerk, dossiers.RequesterData(
            name="Nguyễn Văn An", id_number="001099012345", phone="0987654321", email=email))
    with write_scope() as session:
        original = dossiers.save_original(session, clerk, dossier.id, dossiers.OriginalData(
            title=title, issuer="UBND phường Hoàn Kiếm", pages=pages,
            checks=["not_altered", "legible", "not_secret", "lawful_content"]))
    for i in range(pages):
        with write_scope() as session:
            sha = files.store_bytes(scan_page_jpeg(f"{title} — trang {i + 1}"), "image/jpeg", session)
            session.commit()
        with write_scope() as session:
            dossiers.add_scan_pages(session, clerk, original.id, sha, 1)
    with write_scope() as session:
        fee = dossiers.dossier_fee(session, dossier.id)
        payments.record_payment(session, cashier, dossier.id, "cash", fee, f"BL-{dossier.id}")
    with write_scope() as session:
        dossiers.submit(session, clerk, dossier.id)
    return dossier.id
