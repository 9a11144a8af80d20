"""Intake use cases composed with the file store and the printed forms, one transaction each:
attach an uploaded scan, refuse with the written notice (domain.requester_notices queues it), and fetch
the documents of a dossier (receipt, appointment slip, refusal notice) after checking scope."""
from __future__ import annotations

from sqlmodel import Session

from app import long_work
from app.db import session_scope
from app.files import read_bytes, store_bytes
from app.forms.appointment_slip import slip_for
from app.forms.receipt import receipt_for
from app.forms.refusal_notice import notice_for
from app.intake.scans import check_scan, normalize_scan
from app.intake.uploads import MIME
from app.signing.certification_service import STORE
from domain import dossiers
from domain.access import AccessDenied, CurrentUser
from domain.clock import to_local
from domain.deadlines import needs_appointment_slip
from domain.models import Original, Payment
from domain.refusal import REFUSAL_GROUNDS
from domain.rights import Right
from domain.unit_of_work import Units


def attach_scan(units: Units, user: CurrentUser, original_id: int, data: bytes, filename: str, addr: str = "",
                watch=None) -> int:
    """Check, store and attach an uploaded scan; returns its page count. UploadRejected, WorkflowError;
    GaveUp when `watch` (app.long_work) was given up before the write: then nothing is stored. The checks
    and the re-encoding run outside any unit of work (app.web.actions.run_steps)."""
    kind, pages = check_scan(data, filename)
    long_work.check(watch)
    data, kind = normalize_scan(data, kind)  # CMYK / 16-bit pictures re-encoded so the copy draws them right
    long_work.commit_point(watch)
    with units.write() as session:
        original, old_count = _original_and_count(session, original_id)
        sha256 = store_bytes(data, MIME[kind], session)
        dossiers.add_scan_pages(
            session, user, original_id, sha256, pages, addr=addr
        )  # the file row in the same unit of work
    _follow_scanned_pages(units, user, original_id, old_count, addr)
    return pages


def scan_pages(original_id: int) -> list:
    """The original's scan pages in their stored order (for redrawing thumbnails)."""
    with session_scope() as session:
        return dossiers.pages_of(session, original_id)


def _original_and_count(session: Session, original_id: int):
    original = session.get(Original, original_id)
    return original, len(dossiers.pages_of(session, original_id)) if original else 0


def _follow_scanned_pages(units: Units, user: CurrentUser, original_id: int, old_count: int, addr: str
                          ) -> None:
    """The original's page count defaults to the pages scanned, until the official sets it otherwise."""
    with units.write() as session:
        original = session.get(Original, original_id)
        count = len(dossiers.pages_of(session, original_id))
        if original is None or count == 0 or original.pages == count:
            return
        if old_count != 0 and original.pages != old_count:
            return  # the official set the page count of the original by hand
        data = data_of(original)
        data.pages = count
        dossiers.save_original(session, user, original.dossier_id, data, original.id, addr)


def data_of(original) -> dossiers.OriginalData:
    return dossiers.OriginalData(
        title=original.title,
        doc_type=original.doc_type,
        issuer=original.issuer,
        issue_date=original.issue_date,
        origin=original.origin,
        legalisation=original.legalisation,
        exemption_category=original.exemption_category,
        pages=original.pages,
        copies=original.copies,
        checks=list(original.checks or []),
        scan_source=original.scan_source,
    )


def refuse_with_notice(session: Session, user: CurrentUser, dossier_id: int, grounds: list[str], note: str,
                       addr: str = ""):
    """Refuse the dossier with its written notice; the use case stores it and queues it to the requester."""
    dossier = dossiers.get_dossier_for(session, user, dossier_id)
    valid = [g for g in grounds if g in REFUSAL_GROUNDS]
    pdf = notice_for(session, dossier, valid, note, user.full_name) if valid and note.strip() else None
    return dossiers.refuse(
        session, user, dossier_id, grounds, note, notice_pdf=pdf, store=STORE.put, addr=addr
    )


def _scoped(session: Session, user: CurrentUser, dossier_id: int):
    if not (user.has(Right.CREATE_COPY) or user.has(Right.COLLECT_FEE)):
        raise AccessDenied()
    return dossiers.get_dossier_for(session, user, dossier_id)


def receipt_bytes(user: CurrentUser, payment_id: int) -> tuple[str, bytes]:
    with session_scope() as session:
        payment = session.get(Payment, payment_id)
        if payment is None:
            raise AccessDenied("Không tìm thấy biên lai.")
        _scoped(session, user, payment.dossier_id)
        return f"bien-lai-{payment.receipt_number}.pdf", receipt_for(session, payment.id)


def slip_bytes(user: CurrentUser, dossier_id: int) -> tuple[str, bytes]:
    with session_scope() as session:
        dossier = _scoped(session, user, dossier_id)
        return f"phieu-hen-{dossier.code}.pdf", slip_for(session, dossier)


def notice_bytes(user: CurrentUser, dossier_id: int) -> tuple[str, bytes]:
    with session_scope() as session:
        dossier = _scoped(session, user, dossier_id)
        if not dossier.refusal_notice_sha256:
            raise AccessDenied("Hồ sơ không có thông báo từ chối.")
        return f"thong-bao-tu-choi-{dossier.code}.pdf", read_bytes(dossier.refusal_notice_sha256)


def slip_needed(dossier) -> bool:
    return needs_appointment_slip(to_local(dossier.received_at), to_local(dossier.due_at))

