"""Signing (step 3) and sealing (step 4) a dossier's copies with no transaction held across the slow work.

    sign_dossier:  read   certification.begin_sign (right, office, state); the scans, the signer
                   —      build each copy, check its pages, sign and time-stamp (the signing process)
                   write  certification.finish_sign (state and pages checked again; signed)
    seal_dossier:  write  sealing.begin_seal (right, office, state, year open; the office's next numbers
                          reserved — waiting its turn after another seal of the office,
                          app.signing.seal_reservation)
                   —      seal each copy with its number and time-stamp (lease renewed meanwhile)
                   write  sealing.finish_seal (checked again; entries, counter, issued; reservation released)
                   on failure: the reservation released, the numbers go to the next seal (no gap)

Each step is its own short unit of work from `units` (app.db.UNITS: app.web.actions.run_steps hands
it over). `progress` hears each step in Vietnamese (components/step_progress shows it). Which key signs, with
which time-stamp service and trust roots, is decided once per action by app/signing/resolve.py. A copy
goes from step to step as a file (app.files.new_temp → adopt): the signing process reads the stored
originals and the copy by their paths, so a 1,000-page copy is neither held whole nor pickled between
the processes.
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko_certvalidator.errors import RevokedError
from sqlmodel import Session

from app import files, long_work
from app.settings import get_settings
from app.signing import remote_signing, seal_reservation
from app.signing import worker as signing_worker
from app.signing.copy_check import CopyRefused, check_copy
from app.signing.copy_pdf import ScanInput, StatementInput, page_sources, write_stored_copy
from app.signing.copy_pdf import is_pdf as pdf_file
from app.signing.http import ServiceOutage
from app.signing.resolve import leader_kit, office_kit
from app.signing.revisions import copy_facts
from app.signing.signatures import seal_file_as_office, sign_file_as_leader
from domain import certification, sealing
from domain.access import AccessDenied, CurrentUser
from domain.certification import SealedCopy, SealInfo
from domain.dossiers import WorkflowError, originals_of, pages_of
from domain.models import Account, Dossier, Office, Original, RegisterEntry
from domain.scan_order import check_copy_pages, page_ref
from domain.signing.statement import DEFAULT_STATEMENT_TEMPLATE
from domain.unit_of_work import Units

Progress = Callable[[str], None]  # what the long step is doing now, in Vietnamese (components/step_progress)


def sign(units: Units, user: CurrentUser, dossier_id: int, addr: str = "", progress: Progress | None = None
         ) -> Dossier:
    """Step 3 for one dossier: build each copy and put the leader's signature on it; a refusal audited."""
    with remote_signing.audited_failure(user, dossier_id, addr), _copy_audited(user, dossier_id, addr), \
            long_work.watching(progress):
        return sign_dossier(units, user, dossier_id, addr, progress)


def seal(units: Units, user: CurrentUser, dossier_id: int, addr: str = "", progress: Progress | None = None
         ) -> list[RegisterEntry]:
    """Step 4 for one dossier: the register's numbers, the office's seal, the entries; a refusal audited."""
    with remote_signing.audited_failure(user, dossier_id, addr), _copy_audited(user, dossier_id, addr), \
            long_work.watching(progress):
        return seal_dossier(units, user, dossier_id, addr, progress)


@contextmanager
def _copy_audited(user: CurrentUser, dossier_id: int, addr: str):
    """A refused copy is audited in its own transaction (the step's own one was rolled back)."""
    try:
        yield
    except CopyRefused as exc:
        remote_signing.record(user, "copy_check_failed", f"Hồ sơ #{dossier_id}: {exc.message}", addr,
                              target_id=dossier_id)
        raise


def _quiet(_text: str) -> None:
    pass


def sign_dossier(units: Units, user: CurrentUser, dossier_id: int, addr: str = "",
                 progress: Progress | None = None) -> Dossier:
    """A read to check and gather; building, signing and time-stamping outside any transaction; a short
    write transaction records the result (certification.finish_sign checks the state again)."""
    progress = progress or _quiet
    with units.read() as session:
        work = certification.begin_sign(session, user, dossier_id)
        dossier = session.get(Dossier, dossier_id)
        leader, office = session.get(Account, user.account_id), session.get(Office, dossier.office_id)
        signer, tsa, roots = leader_kit(leader, office)
        jobs = [(original, statement_of(dossier, original, office), pages_of(session, original.id),
                 scan_inputs(session, original)) for original in originals_of(session, dossier.id)]
    signed: dict[int, tuple[str, int]] = {}
    marks: dict[int, list[str]] = {}
    for original, statement, pages, inputs in jobs:
        progress(f"Đang dựng bản sao «{original.title}» ({len(inputs)} trang)…")
        unsigned, out = files.new_temp(), files.new_temp()
        try:
            signing_worker.call(write_stored_copy, inputs, statement, unsigned)
            check_copy_pages(copy_pages(unsigned), pages, original.title, "ký số")
            progress(f"Đang ký số và lấy dấu thời gian cho «{original.title}»…")
            with refused_signing("người ký"):
                sign_file_as_leader(unsigned, out, signer, name=leader.full_name,
                                    title=leader.title or "Lãnh đạo", office_name=office.name, tsa_url=tsa,
                                    trust_roots_der=roots)
            check_copy(out, roots, "ký số")  # verifies, and shows what the stored pages show (CopyRefused)
            marks[original.id] = copy_pages(out)
            signed[original.id] = files.adopt(out)
        finally:
            files.discard(unsigned, out)
    progress("Đang ghi kết quả…")
    long_work.commit_point(progress)  # the page has not given up: from here it waits for this write
    with units.write() as session:
        for sha, size in signed.values():
            files.record(session, sha, size, "application/pdf")
        return certification.finish_sign(session, user, work, {k: v[0] for k, v in signed.items()}, marks,
                                         addr)


def seal_dossier(units: Units, user: CurrentUser, dossier_id: int, addr: str = "",
                 progress: Progress | None = None) -> list[RegisterEntry]:
    """Three short transactions, none across the signing (domain.sealing): begin_seal reserves the
    office's next numbers (waiting its turn after another seal of the office); the copies are sealed
    with those numbers outside; finish_seal records the entries. A failure releases the numbers."""
    progress, settings = progress or _quiet, get_settings()
    with units.read() as session:
        office = session.get(Office, user.office_id) if user.office_id is not None else None
    if office is None:  # a citizen, or an official without an office: refused like any other right
        raise AccessDenied()
    signer, tsa, roots = office_kit(office, user.account_id)
    template = office.statement_template or DEFAULT_STATEMENT_TEMPLATE
    holder = seal_reservation.new_holder()

    def begin() -> sealing.SealWork:
        long_work.check(progress)  # the page gave up while this seal waited its turn
        with units.write() as session:
            return sealing.begin_seal(session, user, dossier_id, holder, settings.base_url,
                                      seal_reservation.holder_dead)

    waiting = "Đang chờ lượt: một người khác của cơ quan đang đóng dấu…"
    work = seal_reservation.wait_turn(begin, settings.seal_wait_seconds, lambda: progress(waiting))
    try:
        with seal_reservation.kept(work.counter_id, holder):
            sealed, stored = [], []
            for item in work.items:
                signed = str(files.path_of(item.signed_sha256))
                signing_worker.call(files.check_stored, signed)
                with units.read() as session:  # the pages may not have changed since the leader signed
                    pages = pages_of(session, item.original_id)
                check_copy_pages(copy_pages(signed), pages, item.title, "đóng dấu")
                progress(f"Đang đóng dấu số {item.info.number_text} và lấy dấu thời gian cho «{item.title}»…")
                out = files.new_temp()
                try:
                    copy = apply_seal(signed, out, item.info, signer, office.name, template, tsa, roots)
                    check_copy(out, roots, "đóng dấu")  # before the number is committed (CopyRefused)
                    sha, size = files.adopt(out)
                finally:
                    files.discard(out)
                sealed.append(copy)
                stored.append((sha, size))
        progress("Đang ghi vào sổ chứng thực…")
        long_work.commit_point(progress)  # given up: the numbers are released below
        with units.write() as session:
            for sha, size in stored:
                files.record(session, sha, size, "application/pdf")
            return sealing.finish_seal(session, user, work, sealed, [sha for sha, _ in stored], addr)
    except BaseException:
        seal_reservation.release(work.counter_id, holder)  # the numbers go to the next seal: no gap
        raise


def apply_seal(source: str, target: str, info: SealInfo, signer, office_name: str, template: str,
               tsa: str | None, roots: tuple[bytes, ...]) -> SealedCopy:
    """The office's signature with the reserved number in its appearance (the signed copy at `source`
    sealed into `target`), and the facts the register keeps."""
    with refused_signing("cơ quan"):
        seal_file_as_office(source, target, signer, office_name=office_name, number_text=info.number_text,
                            book=info.book, date=info.on, verify_url=info.verify_url, tsa_url=tsa,
                            statement_template=template, trust_roots_der=roots)
    facts = signing_worker.call(copy_facts, target)
    return SealedCopy(target, facts.sealed_sha256, facts.leader_cert_sha256, facts.office_cert_sha256,
                      facts.ts_expires_at)


def scan_inputs(session: Session, original: Original) -> list[ScanInput]:
    """One ScanInput per scanned page, in the official's order and rotation (a PDF: the page it names)."""
    inputs = []
    is_pdf: dict[str, bool] = {}  # the stored files are read where the copy is built, by their paths
    for page in pages_of(session, original.id):
        path = str(files.path_of(page.file_sha256))
        if page.file_sha256 not in is_pdf:
            is_pdf[page.file_sha256] = pdf_file(ScanInput(path=path))
        index = page.page_index if is_pdf[page.file_sha256] else None
        inputs.append(ScanInput(path=path, rotation=page.rotation, source=page_ref(page), page_index=index))
    return inputs


def statement_of(dossier: Dossier, original: Original, office: Office) -> StatementInput:
    return StatementInput(requester_name=dossier.requester_name, document_title=original.title,
                          issuer=original.issuer, original_pages=original.pages, office_name=office.name,
                          template=office.statement_template or DEFAULT_STATEMENT_TEMPLATE)


def copy_pages(pdf: bytes | str) -> list[str]:
    """The page marks of a copy (its bytes or its path), read in the signing process when it runs."""
    return signing_worker.call(page_sources, pdf)


@contextmanager
def refused_signing(whose: str):
    """pyHanko refuses to sign when the certificate is revoked or its status or a time-stamp cannot be
    obtained (B-LT): say so in Vietnamese; nothing is written, no number is used."""
    try:
        yield
    except ServiceOutage as exc:  # a time-stamp or revocation service did not answer: say which
        raise WorkflowError(f"{exc.message} Chưa ký; hồ sơ vẫn chờ. Vui lòng thử lại sau ít phút hoặc "
                            "báo quản trị hệ thống.") from exc
    except (SigningError, TimestampRequestError) as exc:
        # in the signing process (app/signing/worker.py) the cause stays there; `revoked` says it
        if isinstance(exc.__cause__, RevokedError) or getattr(exc, "revoked", False):
            raise WorkflowError(f"Chứng thư số của {whose} đã bị thu hồi: không thể ký. "
                                "Hãy liên hệ tổ chức cung cấp dịch vụ chứng thực chữ ký số.") from exc
        raise WorkflowError(
            f"Không kiểm tra được chứng thư số của {whose} (dịch vụ OCSP/CRL) hoặc không lấy được "
            "dấu thời gian: chưa ký. Vui lòng thử lại sau ít phút."
        ) from exc
