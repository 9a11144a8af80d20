"""Steps 3 and 4: the leader signs (sign_copy); the seal keeper seals and the register numbers (seal_copy).

Signing itself is done by the caller's adapters (pyHanko), outside any transaction; these use cases decide
who may, in which state (a short transaction before), and record the result (a short transaction after,
checking again). Sealing is in domain.sealing: the office's next numbers are reserved before signing and
used only when the entries are recorded, so a failure consumes no number.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from domain import audit, webhook_events, workflow
from domain.access import CurrentUser
from domain.audit import actor_of
from domain.clock import Clock, to_utc, utcnow
from domain.deadlines import step_due
from domain.dossiers import WorkflowError, get_dossier_for, lock_dossier_for, originals_of, pages_of
from domain.models import (
    CopyFile,
    Dossier,
    Office,
    Original,
    RegisterEntry,
)
from domain.offices import calendar_for
from domain.rights import Right
from domain.scan_order import check_copy_pages
from domain.text import fold

CopyPages = Callable[[bytes], list[str]]  # the page marks of a copy PDF (app.signing.copy_pdf.page_sources)


@dataclass(frozen=True)
class SealInfo:
    number: int
    number_text: str
    book: str
    on: date
    verify_url: str


@dataclass(frozen=True)
class SealedCopy:
    """What sealing produced: the file to issue, the hash of the revision the office signed, the
    fingerprints (SHA-256 of the DER) of the leader's and the office's certificates, and when the
    certificate of the file's last time-stamp ends (the renewal job adds a new one before)."""
    pdf: bytes | str  # the file: its bytes, or its path until it is moved into the store
    sealed_sha256: str = ""
    leader_cert_sha256: str = ""
    office_cert_sha256: str = ""
    ts_expires_at: datetime | None = None



@dataclass(frozen=True)
class SignWork:
    """What the leader's signing read at its start: checked again when the result is recorded."""
    dossier_id: int
    code: str
    state: str
    originals: tuple[int, ...]


def begin_sign(session: Session, user: CurrentUser, dossier_id: int) -> SignWork:
    """May the user sign this dossier now (right, office, state)? Reads only: building and signing the
    copies happen after this transaction, outside any (app.signing.certification_service)."""
    user.require(Right.SIGN_COPY)
    dossier = get_dossier_for(session, user, dossier_id)
    workflow.next_state(dossier.state, workflow.SIGN)
    return SignWork(dossier.id, dossier.code, dossier.state,
                    tuple(o.id for o in originals_of(session, dossier.id)))


def finish_sign(session: Session, user: CurrentUser, work: SignWork, signed: dict[int, str],
                marks: dict[int, list[str]], addr: str = "", clock: Clock | None = None) -> Dossier:
    """Record the signed copies (`signed`: original id → stored file, `marks`: its page marks); the dossier
    goes submitted → signed and the seal step's deadline starts.

    Someone may have acted while the copies were signed (returned the dossier, signed it first): then the
    state or the pages differ from the start, and nothing is recorded."""
    user.require(Right.SIGN_COPY)
    dossier = lock_dossier_for(session, user, work.dossier_id)
    originals = originals_of(session, dossier.id)
    if dossier.state != work.state or tuple(o.id for o in originals) != work.originals:
        raise WorkflowError(f"Hồ sơ {dossier.code} đã được người khác xử lý trong lúc ký; "
                            "bản vừa ký không được dùng.")
    new_state = workflow.next_state(dossier.state, workflow.SIGN)
    for original in originals:
        check_copy_pages(marks[original.id], pages_of(session, original.id), original.title, "ký số")
        original.signed_sha256 = signed[original.id]
    now = utcnow(clock)
    dossier.state, dossier.signed_at, dossier.signed_by_id = new_state, now, user.account_id
    office = session.get(Office, dossier.office_id)
    dossier.step_due_at = to_utc(step_due("seal", now, calendar_for(session, office)))
    audit.record(session, actor_of(user, addr), "sign", target_type="dossier", target_id=dossier.id,
                 office_id=dossier.office_id, summary=f"Lãnh đạo ký hồ sơ {dossier.code}")
    webhook_events.record(session, dossier, webhook_events.SIGNED)
    session.flush()
    return dossier


def return_for_correction(session: Session, user: CurrentUser, dossier_id: int, comment: str,
                          addr: str = "", clock: Clock | None = None) -> Dossier:
    """Send the dossier back to the certifying official with a comment."""
    dossier = get_dossier_for(session, user, dossier_id)
    user.require(workflow.required_right(dossier.state, workflow.RETURN_FOR_CORRECTION))
    if not comment.strip():
        raise WorkflowError("Vui lòng ghi nội dung cần bổ sung, chỉnh sửa.")
    dossier.state = workflow.next_state(dossier.state, workflow.RETURN_FOR_CORRECTION)
    dossier.return_comment = comment.strip()
    for original in originals_of(session, dossier.id):
        original.signed_sha256 = None
    office = session.get(Office, dossier.office_id)
    dossier.step_due_at = to_utc(
        step_due("intake", utcnow(clock), calendar_for(session, office), complex=dossier.complex)
    )
    audit.record(
        session,
        actor_of(user, addr),
        "return_for_correction",
        target_type="dossier",
        target_id=dossier.id,
        office_id=dossier.office_id,
        summary=comment.strip()[:400],
    )
    webhook_events.record(session, dossier, webhook_events.RETURNED)
    session.flush()
    return dossier


def _add_copy_files(session: Session, entries: list[RegisterEntry], ts_ends: list[datetime | None],
                    now: datetime) -> None:
    """The first file of each copy, with when its timestamp expires (entries need their ids: flushed)."""
    for entry, expires in zip(entries, ts_ends, strict=True):
        session.add(CopyFile(entry_id=entry.id, seq=0, file_sha256=entry.file_sha256, ts_expires_at=expires,
                             created_at=now))


def _entry(dossier: Dossier, original: Original, info: SealInfo, code: str, sealed: SealedCopy, sha: str,
           now: datetime, signer_name: str) -> RegisterEntry:
    """The register entry of one sealed copy (not chained yet)."""
    return RegisterEntry(
        office_id=dossier.office_id, year=info.on.year, number=info.number, number_text=info.number_text,
        book=info.book, dossier_id=dossier.id, original_id=original.id, issued_at=now,
        requester_name=dossier.requester_name, requester_name_folded=fold(dossier.requester_name),
        requester_id_number=dossier.requester_id_number, document_title=original.title,
        document_title_folded=fold(original.title), issuer=original.issuer, pages=original.pages,
        copies=original.copies, fee=original.fee, signer_name=signer_name, file_sha256=sha,
        verify_code=code, sealed_sha256=sealed.sealed_sha256,
        leader_cert_sha256=sealed.leader_cert_sha256, office_cert_sha256=sealed.office_cert_sha256)
