"""Signing (step 3) and sealing (step 4) a dossier's copies with no transaction held across the slow work.

    sign_dossier:  read   certification.begin_sign (right, office, state); the scans, the signer
                   —      build each copy, check its pages, sign and time-stamp (the signing process)
                   write  certification.finish_sign (state and pages checked again; signed)
    seal_dossier:  write  sealing.begin_seal (right, office, state, year open; the office's next numbers
                          reserved — waiting its turn after another seal of the office, app.seal_reservation)
                   —      seal each copy with its number and time-stamp (lease renewed meanwhile)
                   write  sealing.finish_seal (checked again; entries, counter, issued; reservation released)
                   on failure: the reservation released, the numbers go to the next seal (no gap)

`progress` hears each step in Vietnamese (components/step_progress shows it). A copy goes from step to
step as a file (app.files.new_temp → adopt): the signing process reads the stored originals and the copy
by their paths, so a 1,000-page copy is neither held whole nor pickled between the processes.
"""
from __future__ import annotations

from app import files, seal_reservation
from app.certification_service import (
    Progress,
    copy_pages,
    leader_signer,
    office_signer,
    refused_signing,
    scan_inputs,
    statement_of,
    trust_roots_der,
    tsa_url,
)
from app.db import session_scope, write_scope
from app.settings import get_settings
from app.signing import worker as signing_worker
from app.signing.copy_check import check_copy
from app.signing.copy_pdf import write_stored_copy
from app.signing.revisions import copy_facts
from app.signing.signatures import seal_file_as_office, sign_file_as_leader
from domain import certification, sealing
from domain.access import AccessDenied, CurrentUser
from domain.certification import SealedCopy, SealInfo
from domain.dossiers import originals_of, pages_of
from domain.models import Account, Dossier, Office, RegisterEntry
from domain.scan_order import check_copy_pages
from domain.signing.statement import DEFAULT_STATEMENT_TEMPLATE


def _quiet(_text: str) -> None:
    pass


def sign_dossier(user: CurrentUser, dossier_id: int, addr: str = "", progress: Progress | None = None
                 ) -> Dossier:
    """A read to check and gather; building, signing and time-stamping outside any transaction; a short
    write transaction records the result (certification.finish_sign checks the state again)."""
    progress = progress or _quiet
    tsa, roots = tsa_url(), trust_roots_der()
    with session_scope() as session:
        work = certification.begin_sign(session, user, dossier_id)
        dossier = session.get(Dossier, dossier_id)
        leader, office = session.get(Account, user.account_id), session.get(Office, dossier.office_id)
        signer = leader_signer(leader, office)
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
    with write_scope() as session:
        for sha, size in signed.values():
            files.record(session, sha, size, "application/pdf")
        return certification.finish_sign(session, user, work, {k: v[0] for k, v in signed.items()}, marks,
                                         addr)


def seal_dossier(user: CurrentUser, dossier_id: int, addr: str = "", progress: Progress | None = None
                 ) -> list[RegisterEntry]:
    """Three short transactions, none across the signing (domain.sealing): begin_seal reserves the
    office's next numbers (waiting its turn after another seal of the office); the copies are sealed
    with those numbers outside; finish_seal records the entries. A failure releases the numbers."""
    progress, settings = progress or _quiet, get_settings()
    with session_scope() as session:
        office = session.get(Office, user.office_id) if user.office_id is not None else None
    if office is None:  # a citizen, or an official without an office: refused like any other right
        raise AccessDenied()
    signer = office_signer(office, user.account_id)
    template = office.statement_template or DEFAULT_STATEMENT_TEMPLATE
    tsa, roots = tsa_url(), trust_roots_der()
    holder = seal_reservation.new_holder()

    def begin() -> sealing.SealWork:
        with write_scope() as session:
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
                with session_scope() as session:  # the pages may not have changed since the leader signed
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
        with write_scope() as session:
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
