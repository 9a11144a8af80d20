"""The read side of issued copies: an official's handled dossiers, a citizen's copies, the file of one
copy for whoever may have it, and small previews of scan pages."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from PIL import Image
from sqlalchemy import func, or_
from sqlmodel import Session, select

from app import files
from app.db import session_scope
from app.signing.certification_service import latest_file_sha256
from domain import revocation
from domain.access import CurrentUser
from domain.models import Account, Dossier, Office, RegisterEntry

PAGE_SIZE = 20
PREVIEW_WIDTH = 420


@dataclass
class HandledRow:
    id: int
    code: str
    requester_name: str
    state: str
    received_at: datetime
    issued_at: datetime | None
    roles: list[str]
    numbers: list[str]


def handled_page(
    user: CurrentUser, page: int = 1, page_size: int = PAGE_SIZE
) -> tuple[list[HandledRow], int, int]:
    """Dossiers of the user's office the user created, signed or sealed; newest first. (rows, page, pages)."""
    me = user.account_id
    where = (
        Dossier.office_id == user.office_id,
        or_(Dossier.created_by_id == me, Dossier.signed_by_id == me, Dossier.sealed_by_id == me),
    )
    with session_scope() as session:
        total = session.exec(select(func.count()).select_from(Dossier).where(*where)).one()
        pages = max(1, -(-total // page_size))
        page = min(max(1, page), pages)
        dossiers = session.exec(
            select(Dossier)
            .where(*where)
            .order_by(Dossier.received_at.desc(), Dossier.id.desc())
            .offset((page - 1) * page_size)
            .limit(page_size)
        ).all()
        numbers: dict[int, list[str]] = {}
        if dossiers:
            for dossier_id, text in session.exec(
                select(RegisterEntry.dossier_id, RegisterEntry.number_text)
                .where(RegisterEntry.dossier_id.in_([d.id for d in dossiers]))
                .order_by(RegisterEntry.number)
            ):
                numbers.setdefault(dossier_id, []).append(text)
        rows = []
        for d in dossiers:
            roles = [
                label
                for label, who in (
                    ("Tiếp nhận", d.created_by_id),
                    ("Ký", d.signed_by_id),
                    ("Đóng dấu", d.sealed_by_id),
                )
                if who == me
            ]
            rows.append(
                HandledRow(
                    d.id,
                    d.code,
                    d.requester_name,
                    d.state,
                    d.received_at,
                    d.issued_at,
                    roles,
                    numbers.get(d.id, []),
                )
            )
        return rows, page, pages


@dataclass
class CopyRow:
    entry_id: int
    office_name: str
    number_text: str
    book: str
    document_title: str
    pages: int
    issued_at: datetime
    verify_code: str
    dossier_code: str
    revoked_at: datetime | None
    revoke_reason: str | None


def citizen_filter(session: Session, user: CurrentUser):
    account = session.get(Account, user.account_id)
    mine = [Dossier.citizen_id == user.account_id]
    if account is not None and account.id_number:
        mine.append(Dossier.requester_id_number == account.id_number)
    return or_(*mine)


def citizen_copies(user: CurrentUser, limit: int | None = None) -> list[CopyRow]:
    """A citizen's issued copies: dossiers opened for their account or carrying their ID number."""
    if not user.is_citizen:
        return []
    with session_scope() as session:
        query = (
            select(RegisterEntry, Dossier.code, Office.name)
            .join(Dossier, RegisterEntry.dossier_id == Dossier.id)
            .join(Office, RegisterEntry.office_id == Office.id)
            .where(citizen_filter(session, user))
            .order_by(RegisterEntry.issued_at.desc(), RegisterEntry.id.desc())
        )
        if limit:
            query = query.limit(limit)
        rows = []
        for entry, code, office_name in session.exec(query).all():
            r = revocation.revocation_of(session, entry.id)
            rows.append(
                CopyRow(
                    entry.id,
                    office_name,
                    entry.number_text,
                    entry.book,
                    entry.document_title,
                    entry.pages,
                    entry.issued_at,
                    entry.verify_code,
                    code,
                    r.at if r else None,
                    r.reason if r else None,
                )
            )
        return rows


def copy_file_for(user: CurrentUser, entry_id: int) -> tuple[bytes, str] | None:
    """The issued PDF and a file name, if the user may have it: a citizen their own copies, an official
    the copies of the office in use. None otherwise (the caller answers 404)."""
    with session_scope() as session:
        entry = session.get(RegisterEntry, entry_id)
        if entry is None:
            return None
        dossier = session.get(Dossier, entry.dossier_id)
        if user.is_citizen:
            account = session.get(Account, user.account_id)
            own = dossier.citizen_id == user.account_id or (
                account is not None and account.id_number and dossier.requester_id_number == account.id_number
            )
            if not own:
                return None
        elif user.office_id is None or entry.office_id != user.office_id:
            return None
        # the newest file: renewed document time-stamps (B-LTA) keep it verifiable
        sha, name = latest_file_sha256(session, entry), f"ban-sao-{entry.year}-{entry.number}.pdf"
    try:
        return files.read_bytes(sha), name
    except files.FileMissing:
        return None


# --- previews ------------------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def page_preview(sha256: str, page_index: int = 0, rotation: int = 0, width: int = PREVIEW_WIDTH) -> bytes:
    """A small JPEG of one scan page (a PDF page rendered with pdfium, an image downscaled)."""
    data = files.read_bytes(sha256)
    if data[:5] == b"%PDF-":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        try:
            page = pdf[page_index]
            scale = width / max(1.0, page.get_width())
            image = page.render(scale=scale).to_pil()
            page.close()
        finally:
            pdf.close()
    else:
        image = Image.open(io.BytesIO(data))
        image.draft("RGB", (width, width * 2))  # fast JPEG downscale while decoding
        image = image.convert("RGB")
        image.thumbnail((width, width * 2))
    if rotation:
        image = image.rotate(-rotation, expand=True)
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=70)
    return buf.getvalue()
