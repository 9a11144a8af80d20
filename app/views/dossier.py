"""One dossier: at intake (/dossier/{id}) the dossier with its originals and their stored pages, the
office calendar, fee and payments, and what still stops its submission (IntakeDossier); in the later
steps and the handled list, everything an official of its office may see, read-only (DossierView)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from app.db import session_scope
from domain import dossiers, revocation, workflow
from domain.access import CurrentUser
from domain.calendar import OfficeCalendar
from domain.dossiers import get_dossier_for, originals_of, pages_of
from domain.models import Account, Dossier, EmailMessage, Office, Original, Payment, RegisterEntry, ScanPage
from domain.offices import calendar_for
from domain.payments import payments_of

EDITABLE = (workflow.DRAFT, workflow.RETURNED)


@dataclass
class IntakeDossier:
    """Rows detached from their session: read their columns, never their relationships."""

    dossier: Dossier
    calendar: OfficeCalendar
    originals: list[tuple[Original, list[ScanPage]]]
    fee: int
    paid: int
    payments: list[Payment]
    allow_pay_later: bool
    problems: list[str]  # what stops the submission (only while the dossier is editable)

    @property
    def editable(self) -> bool:
        return self.dossier.state in EDITABLE


def dossier_code(user: CurrentUser, dossier_id: int) -> str:
    """The dossier's code; AccessDenied when it is not in the user's office."""
    with session_scope() as session:
        return dossiers.get_dossier_for(session, user, dossier_id).code


def intake_dossier(user: CurrentUser, dossier_id: int) -> IntakeDossier:
    with session_scope() as session:
        dossier = dossiers.get_dossier_for(session, user, dossier_id)
        office = session.get(Office, dossier.office_id)
        originals = [
            (o, dossiers.pages_of(session, o.id)) for o in dossiers.originals_of(session, dossier.id)
        ]
        return IntakeDossier(
            dossier,
            calendar_for(session, office),
            originals,
            dossiers.dossier_fee(session, dossier.id),
            dossiers.paid_amount(session, dossier.id),
            list(payments_of(session, dossier.id)),
            bool(office.allow_pay_later),
            dossiers.submission_problems(session, dossier, office) if dossier.state in EDITABLE else [],
        )


def submission_problems(user: CurrentUser, dossier_id: int) -> list[str]:
    with session_scope() as session:
        dossier = dossiers.get_dossier_for(session, user, dossier_id)
        return dossiers.submission_problems(session, dossier, session.get(Office, dossier.office_id))


# --- one dossier, read-only (signature, seal, handled) ------------------------------------------------


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
        view.originals = [_original_view(session, o) for o in originals_of(session, d.id)]
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


def _original_view(session: Session, o) -> OriginalView:
    return OriginalView(
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
