"""Read side of steps 3–4 and delivery: a dossier's read-only view, the copies a person may download,
and small previews of scan pages. The writes (`return_dossier`, `revoke_entry`) are thin wrappers
opening the use case's transaction.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlalchemy import func, or_
from sqlmodel import Session, select

from app import files
from app.db import session_scope, write_scope
from domain import certification, revocation
from domain.access import CurrentUser
from domain.calendar import OfficeCalendar
from domain.dossiers import get_dossier_for, originals_of, pages_of
from domain.models import Account, Dossier, EmailMessage, Office, RegisterEntry, Revocation
from domain.offices import calendar_for

PAGE_SIZE = 20
PREVIEW_WIDTH = 420


# --- one dossier, read-only -------------------------------------------------------------------------


@dataclass
class PageRef:
    sha256: str
    page_index: int
    rotation: int


@dataclass
class OriginalView:
    id: int
    title: str
    doc_type: str
    issuer: str
    issue_date: str
    origin: str
    legalisation: str | None
    pages: int
    copies: int
    fee: int
    scan_source: str
    scan_pages: list[PageRef]


@dataclass
class EntryView:
    id: int
    number_text: str
    book: str
    issued_at: datetime
    document_title: str
    pages: int
    verify_code: str
    revoked_at: datetime | None = None
    revoke_reason: str | None = None


@dataclass
class EmailView:
    id: int
    to_addr: str
    subject: str
    status: str
    attempts: int
    last_error: str
    sent_at: datetime | None


@dataclass
class DossierView:
    id: int
    code: str
    office_id: int
    office_name: str
    state: str
    requester_kind: str
    requester_name: str
    requester_id_number: str | None
    requester_phone: str | None
    requester_email: str | None
    requester_address: str | None
    org_representative: str | None
    complex: bool
    received_at: datetime
    due_at: datetime
    step_due_at: datetime | None
    extension_reason: str | None
    return_comment: str | None
    created_by: str
    signed_by: str
    sealed_by: str
    signed_at: datetime | None
    issued_at: datetime | None
    originals: list[OriginalView] = field(default_factory=list)
    entries: list[EntryView] = field(default_factory=list)
    emails: list[EmailView] = field(default_factory=list)
    calendar: OfficeCalendar | None = None


def dossier_view(user: CurrentUser, dossier_id: int) -> DossierView:
    """Everything an official of the dossier's office may see about it (AccessDenied otherwise)."""
    with session_scope() as session:
        d = get_dossier_for(session, user, dossier_id)
        office = session.get(Office, d.office_id)

        def name(account_id: int | None) -> str:
            account = session.get(Account, account_id) if account_id else None
            return account.full_name if account else ""

        view = DossierView(
            d.id,
            d.code,
            d.office_id,
            office.name,
            d.state,
            d.requester_kind,
            d.requester_name,
            d.requester_id_number,
            d.requester_phone,
            d.requester_email,
            d.requester_address,
            d.org_representative,
            d.complex,
            d.received_at,
            d.due_at,
            d.step_due_at,
            d.extension_reason,
            d.return_comment,
            name(d.created_by_id),
            name(d.signed_by_id),
            name(d.sealed_by_id),
            d.signed_at,
            d.issued_at,
            calendar=calendar_for(session, office),
        )
        for o in originals_of(session, d.id):
            view.originals.append(
                OriginalView(
                    o.id,
                    o.title,
                    o.doc_type,
                    o.issuer,
                    o.issue_date.strftime("%d/%m/%Y") if o.issue_date else "",
                    o.origin,
                    o.legalisation,
                    o.pages,
                    o.copies,
                    o.fee,
                    o.scan_source,
                    [PageRef(p.file_sha256, p.page_index, p.rotation) for p in pages_of(session, o.id)],
                )
            )
        view.entries = _entries(
            session,
            select(RegisterEntry).where(RegisterEntry.dossier_id == d.id).order_by(RegisterEntry.number),
        )
        view.emails = [
            EmailView(m.id, m.to_addr, m.subject, m.status, m.attempts, m.last_error, m.sent_at)
            for m in session.exec(
                select(EmailMessage).where(EmailMessage.dossier_id == d.id).order_by(EmailMessage.id)
            )
        ]
        return view


def _entries(session: Session, query) -> list[EntryView]:
    result = []
    for e in session.exec(query):
        r = revocation.revocation_of(session, e.id)
        result.append(
            EntryView(
                e.id,
                e.number_text,
                e.book,
                e.issued_at,
                e.document_title,
                e.pages,
                e.verify_code,
                r.at if r else None,
                r.reason if r else None,
            )
        )
    return result


# --- handled lists and the citizen's copies ---------------------------------------------------------


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


def _citizen_filter(session: Session, user: CurrentUser):
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
            .where(_citizen_filter(session, user))
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
        from app.certification_service import latest_file_sha256

        sha, name = latest_file_sha256(session, entry), f"ban-sao-{entry.year}-{entry.number}.pdf"
    try:
        return files.read_bytes(sha), name
    except files.FileMissing:
        return None


def entry_by_code(code: str) -> RegisterEntry | None:
    with session_scope() as session:
        return session.exec(select(RegisterEntry).where(RegisterEntry.verify_code == code)).first()


def return_dossier(user: CurrentUser, dossier_id: int, comment: str, addr: str = "") -> Dossier:
    with write_scope() as session:
        return certification.return_for_correction(session, user, dossier_id, comment, addr)


def revoke_entry(user: CurrentUser, entry_id: int, reason: str, addr: str = "") -> Revocation:
    with write_scope() as session:
        return revocation.revoke(session, user, entry_id, reason, addr)


def retry_email(user: CurrentUser, message_id: int) -> bool:
    """An official of the dossier's office asks to send an e-mail again. False if not theirs."""
    from app.mailer import retry_now

    with session_scope() as session:
        message = session.get(EmailMessage, message_id)
        dossier = session.get(Dossier, message.dossier_id) if message and message.dossier_id else None
        if dossier is None or user.is_citizen or dossier.office_id != user.office_id:
            return False
    retry_now(message_id)
    return True


# --- previews ------------------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def page_preview(sha256: str, page_index: int = 0, rotation: int = 0, width: int = PREVIEW_WIDTH) -> bytes:
    """A small JPEG of one scan page (a PDF page rendered with pdfium, an image downscaled)."""
    from PIL import Image

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
