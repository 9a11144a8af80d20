"""The file store port and the register's side of a verification: which entry a file is, what it says.

Signing (step 3) and sealing (step 4) are `app.signing.sign_seal.sign` and `seal`, re-exported here for the
callers that name the service; which key signs is `app.signing.resolve`."""
from __future__ import annotations

from sqlmodel import Session, select

from app import files
from app.db import session_scope
from app.signing.resolve import trust_roots
from app.signing.sign_seal import seal, sign
from app.signing.verify import verify_pdf
from domain.models import CopyFile, Office, RegisterEntry, Revocation
from domain.signing.verification import RegisterInfo, VerificationResult

__all__ = ["STORE", "StoreAdapter", "entry_by_sha256", "latest_file_sha256", "lookup_by_sha256",
           "register_info", "seal", "sign", "trust_roots", "verify_bytes"]


class StoreAdapter:
    """The FileStore port over the content-addressed store in DATA_DIR/files."""

    def put(self, session: Session, data: bytes, mime: str) -> str:
        return files.store_bytes(data, mime, session)

    def get(self, sha256: str) -> bytes:
        return files.read_bytes(sha256)


STORE = StoreAdapter()


def register_info(session: Session, entry: RegisterEntry, *, matched_sealed: bool = False) -> RegisterInfo:
    office = session.get(Office, entry.office_id)
    revocation = session.exec(select(Revocation).where(Revocation.entry_id == entry.id)).first()
    return RegisterInfo(
        certification_number=entry.number_text,
        book=entry.book,
        office=office.name,
        issued_at=entry.issued_at,
        title=entry.document_title,
        page_count=entry.pages,
        requester_name=entry.requester_name,
        revoked_at=revocation.at if revocation else None,
        revoke_reason=revocation.reason if revocation else None,
        leader_cert_sha256=entry.leader_cert_sha256,
        office_cert_sha256=entry.office_cert_sha256,
        matched_sealed=matched_sealed,
        entry_id=entry.id,
    )


def entry_by_sha256(session: Session, sha256: str) -> tuple[RegisterEntry | None, bool]:
    """The entry whose issued (or renewed) file, or whose sealed revision, has this hash."""
    entry = session.exec(select(RegisterEntry).join(CopyFile, CopyFile.entry_id == RegisterEntry.id)
                         .where(CopyFile.file_sha256 == sha256)).first()
    if entry is None:
        entry = session.exec(select(RegisterEntry).where(RegisterEntry.file_sha256 == sha256)).first()
    if entry is not None:
        return entry, False
    entry = session.exec(select(RegisterEntry).where(RegisterEntry.sealed_sha256 == sha256)).first()
    return entry, entry is not None


def lookup_by_sha256(sha256: str) -> RegisterInfo | None:
    with session_scope() as session:
        entry, sealed = entry_by_sha256(session, sha256)
        return register_info(session, entry, matched_sealed=sealed) if entry else None


def latest_file_sha256(session: Session, entry: RegisterEntry) -> str:
    """The newest file of an issued copy (after B-LTA renewals), else the one issued."""
    row = session.exec(select(CopyFile).where(CopyFile.entry_id == entry.id)
                       .order_by(CopyFile.seq.desc()).limit(1)).first()
    return row.file_sha256 if row else entry.file_sha256


def verify_bytes(data: bytes, at=None) -> VerificationResult:
    return verify_pdf(data, trust_roots=trust_roots(), lookup=lookup_by_sha256, at=at)
