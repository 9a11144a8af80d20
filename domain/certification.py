"""Steps 3 and 4: the leader signs (sign_copy); the seal keeper seals and the register numbers (seal_copy).

Signing itself is done by the caller's adapters (pyHanko); these use cases decide who may, in which
state, and record the result in one transaction each. Sealing takes the office's register counter
under a lock: if anything fails before the commit, no number is consumed.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from domain import audit, webhook_events, workflow
from domain.access import CurrentUser
from domain.audit import Actor
from domain.clock import Clock, to_local, to_utc, utcnow
from domain.deadlines import step_due
from domain.dossiers import WorkflowError, get_dossier_for, originals_of, pages_of
from domain.models import (
    Account,
    CopyFile,
    Dossier,
    EmailMessage,
    Office,
    Original,
    RegisterEntry,
    SmsMessage,
)
from domain.offices import book_label, calendar_for, number_text
from domain.ports import FileStore
from domain.register.numbering import entry_hash, last_hash, locked_counter, new_verify_code
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
    pdf: bytes
    sealed_sha256: str = ""
    leader_cert_sha256: str = ""
    office_cert_sha256: str = ""
    ts_expires_at: datetime | None = None


def _actor(user: CurrentUser, addr: str) -> Actor:
    return Actor(user.account_id, user.full_name, addr)


def sign_dossier(session: Session, user: CurrentUser, dossier_id: int,
                 produce: Callable[[Dossier, Original], bytes], files: FileStore, addr: str = "",
                 copy_pages: CopyPages | None = None, clock: Clock | None = None) -> Dossier:
    """The leader signs every original's copy (submitted → signed); the seal step's deadline starts. Commits.

    ``copy_pages`` reads the page marks of a copy: the signed copy must hold the stored pages."""
    user.require(Right.SIGN_COPY)
    dossier = get_dossier_for(session, user, dossier_id)
    new_state = workflow.next_state(dossier.state, workflow.SIGN)
    for original in originals_of(session, dossier.id):
        signed = produce(dossier, original)
        if copy_pages is not None:
            check_copy_pages(copy_pages(signed), pages_of(session, original.id), original.title, "ký số")
        original.signed_sha256 = files.put(session, signed, "application/pdf")
    now = utcnow(clock)
    dossier.state, dossier.signed_at, dossier.signed_by_id = new_state, now, user.account_id
    office = session.get(Office, dossier.office_id)
    dossier.step_due_at = to_utc(step_due("seal", now, calendar_for(session, office)))
    audit.record(session, _actor(user, addr), "sign", target_type="dossier", target_id=dossier.id,
                 office_id=dossier.office_id, summary=f"Lãnh đạo ký hồ sơ {dossier.code}")
    webhook_events.record(session, dossier, webhook_events.SIGNED)
    session.commit()
    return dossier


def return_for_correction(session: Session, user: CurrentUser, dossier_id: int, comment: str,
                          addr: str = "", clock: Clock | None = None) -> Dossier:
    """Send the dossier back to the certifying official with a comment. Commits."""
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
        _actor(user, addr),
        "return_for_correction",
        target_type="dossier",
        target_id=dossier.id,
        office_id=dossier.office_id,
        summary=comment.strip()[:400],
    )
    webhook_events.record(session, dossier, webhook_events.RETURNED)
    session.commit()
    return dossier


def seal_dossier(session: Session, user: CurrentUser, dossier_id: int,
                 seal: Callable[[bytes, SealInfo], bytes | SealedCopy],
                 files: FileStore, base_url: str, addr: str = "",
                 copy_pages: CopyPages | None = None, clock: Clock | None = None) -> list[RegisterEntry]:
    """Number every original in the office's register, seal each copy, issue the dossier (signed → issued).

    One transaction: the counter row is locked (FOR UPDATE on PostgreSQL; SQLite's write lock is
    taken by the caller's write session), so concurrent seals get consecutive numbers. Commits.
    """
    user.require(Right.SEAL_COPY)
    dossier = get_dossier_for(session, user, dossier_id)
    new_state = workflow.next_state(dossier.state, workflow.SEAL)
    office = session.get(Office, dossier.office_id)
    now = utcnow(clock)  # the register's year and date come from the clock (year rollover)
    today = to_local(now).date()
    counter = locked_counter(session, office.id, today.year)
    session.refresh(dossier)  # re-read under the lock: another seal keeper may have been first
    if dossier.state != workflow.SIGNED:
        raise WorkflowError("Hồ sơ đã được xử lý bởi người khác.")
    if counter.closed_at is not None:
        raise WorkflowError(f"Sổ chứng thực năm {today.year} đã khóa; không thể cấp số mới.")
    signer = session.get(Account, dossier.signed_by_id)
    prev_hash = last_hash(session, office.id)
    entries, ts_ends = [], []
    for original in originals_of(session, dossier.id):
        if not original.signed_sha256:
            raise WorkflowError(f"«{original.title}» chưa có chữ ký của lãnh đạo.")
        signed = files.get(original.signed_sha256)
        if copy_pages is not None:  # the pages may not have changed since the leader signed
            check_copy_pages(copy_pages(signed), pages_of(session, original.id), original.title, "đóng dấu")
        number = counter.last_number + 1
        code = new_verify_code()
        info = SealInfo(
            number,
            number_text(office, number),
            book_label(office, counter.book, today.year),
            today,
            f"{base_url}/verify/{code}",
        )
        sealed, sha = _seal_copy(session, seal, files, signed, info)
        entry = _entry(dossier, original, info, code, sealed, sha, now, signer.full_name if signer else "")
        entry.prev_hash = prev_hash
        entry.hash = entry_hash(entry)
        prev_hash = entry.hash
        counter.last_number = number
        session.add(entry)
        entries.append(entry)
        ts_ends.append(sealed.ts_expires_at)
    dossier.state, dossier.issued_at, dossier.sealed_by_id = new_state, now, user.account_id
    dossier.step_due_at = None
    session.flush()
    _add_copy_files(session, entries, ts_ends, now)
    _notify_ready(session, dossier, office, entries)
    audit.record(session, _actor(user, addr), "seal", target_type="dossier", target_id=dossier.id,
                 office_id=office.id,
                 summary=f"Cấp số {', '.join(e.number_text for e in entries)} cho hồ sơ {dossier.code}")
    webhook_events.record(session, dossier, webhook_events.SEALED)
    session.commit()
    return entries


def _seal_copy(session: Session, seal: Callable[[bytes, SealInfo], bytes | SealedCopy], files: FileStore,
               signed: bytes, info: SealInfo) -> tuple[SealedCopy, str]:
    """Seal one signed copy and store it; a sealer may return bare PDF bytes."""
    sealed = seal(signed, info)
    if not isinstance(sealed, SealedCopy):
        sealed = SealedCopy(sealed)
    return sealed, files.put(session, sealed.pdf, "application/pdf")


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


def _notify_ready(session: Session, dossier: Dossier, office: Office, entries: list[RegisterEntry]) -> None:
    """Queue the e-mail with each copy and the SMS notice; delivery happens after the commit."""
    # The copy itself always goes by e-mail when there is an address (C13 delivery); the office's
    # notification settings only govern the SMS notice.
    if dossier.requester_email:
        for entry in entries:
            session.add(
                EmailMessage(
                    to_addr=dossier.requester_email,
                    dossier_id=dossier.id,
                    subject=f"Bản sao điện tử đã chứng thực — số {entry.number_text}",
                    body=(
                        f"Kính gửi {dossier.requester_name},\n\n{office.name} gửi kèm bản sao điện tử "
                        f"được chứng thực từ bản chính «{entry.document_title}», số chứng thực "
                        f"{entry.number_text}, quyển số {entry.book}.\nTra cứu: {entry.verify_code}"
                        "\n\nTrân trọng."
                    ),
                    attachment_sha256=entry.file_sha256,
                    attachment_name=f"ban-sao-{entry.year}-{entry.number}.pdf",
                )
            )
    if dossier.requester_phone and office.notify_sms:
        session.add(SmsMessage(phone=dossier.requester_phone, purpose="copy_ready",
                               body=f"{office.name}: ho so {dossier.code} da co ban sao dien tu chung thuc. "
                                    "Vui long xem trong tai khoan hoac thu dien tu."))
