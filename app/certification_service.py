"""Composes the certification use cases with the adapters: file store, signers, the register lookup."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from functools import lru_cache

from sqlmodel import Session, select

from app import files, keystore, remote_signing
from app.db import session_scope
from app.pki.demo_pki import DemoPki
from app.settings import get_settings
from app.signing import worker as signing_worker
from app.signing.copy_check import audited as copy_check_audited
from app.signing.copy_pdf import ScanInput, StatementInput, page_sources
from app.signing.copy_pdf import is_pdf as pdf_file
from app.signing.factory import signer_from_config
from app.signing.verify import verify_pdf
from domain.access import CurrentUser
from domain.dossiers import WorkflowError, pages_of
from domain.models import Account, CopyFile, Dossier, Office, Original, RegisterEntry, Revocation
from domain.scan_order import page_ref
from domain.signing.statement import DEFAULT_STATEMENT_TEMPLATE
from domain.signing.verification import RegisterInfo, VerificationResult


class StoreAdapter:
    """The FileStore port over the content-addressed store in DATA_DIR/files."""

    def put(self, session: Session, data: bytes, mime: str) -> str:
        return files.store_bytes(data, mime, session)

    def get(self, sha256: str) -> bytes:
        return files.read_bytes(sha256)


STORE = StoreAdapter()


@lru_cache(maxsize=4)
def _demo_pki(path: str, url: str) -> DemoPki:
    return DemoPki(path).ensure(url)


def demo_pki() -> DemoPki:
    """The demo PKI (its services run with `main.py pki-services`, or inside the server in demo mode)."""
    settings = get_settings()
    return _demo_pki(str(settings.pki_path), settings.pki_url)


def tsa_url() -> str | None:
    """TSA_URL, else the demo TSA in demo mode; None: signatures carry no time-stamp (B-B)."""
    settings = get_settings()
    if settings.tsa_url:
        return settings.tsa_url
    return demo_pki().tsa_url() if settings.demo else None


def trust_roots_der() -> tuple[bytes, ...]:
    """Roots the signing-time validation (B-LT) and verification trust."""
    from app.signing.verify import load_trust_roots

    return tuple(cert.dump() for cert in load_trust_roots(trust_roots()))


def _signing_config(stored: dict | None, demo_key_id: str, issue: Callable[[DemoPki, str], object],
                    office_id: int, account_id: int | None, whose: str) -> dict:
    """The stored config made ready to sign (app/keystore.py: the office's own sealed key, the operator's
    token, an allowed remote service); in demo mode without one, a demo key issued on first use
    (DEMO_CSC=1: used through the demo remote-signing service)."""
    cfg = stored or {}
    if not cfg and get_settings().demo:
        cfg = {"kind": "demo", "key_id": demo_key_id}
    if cfg.get("kind") != "demo":
        return keystore.runtime_config(cfg, office_id, account_id, whose)
    issue(demo_pki(), cfg["key_id"])
    if remote_signing.demo_csc_enabled():
        cfg = remote_signing.demo_csc_config(demo_pki(), cfg["key_id"])
    return cfg


def leader_signing_config(account: Account, office: Office) -> dict:
    key_id = f"leader-{account.username}-{_digest(account.full_name, account.title or '', office.name)}"
    return _signing_config(account.signing_config, key_id, lambda pki, kid: pki.issue_person(
        kid, account.full_name, account.title or "Lãnh đạo", office.name), office.id, account.id, "người ký")


def office_signing_config(office: Office) -> dict:
    return _signing_config(office.signing_config, f"office-{office.id}-{_digest(office.name)}",
                           lambda pki, kid: pki.issue_office(kid, office.name), office.id, None, "cơ quan")


def build_signer(cfg: dict, role: str, approver_id: int):
    """The one way a Signer is built from a config: a remote key signs only with `approver_id`'s
    approval of this batch for `role`; a demo key comes from the demo PKI."""
    if remote_signing.is_remote(cfg):
        return signer_from_config(cfg, remote=remote_signing.approval_for(role, approver_id))
    return signer_from_config(cfg, demo_pki=demo_pki() if cfg.get("kind") == "demo" else None)


def leader_signer(account: Account, office: Office):
    return build_signer(leader_signing_config(account, office), remote_signing.LEADER, account.id)


def office_signer(office: Office, approver_id: int | None = None):
    return build_signer(office_signing_config(office), remote_signing.OFFICE, approver_id or 0)


def _digest(*parts: str) -> str:
    """Demo keys follow the name they certify: a renamed office or leader gets a new certificate."""
    import hashlib

    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:8]


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


Progress = Callable[[str], None]  # what the long step is doing now, in Vietnamese (components/step_progress)


def sign(user: CurrentUser, dossier_id: int, addr: str = "", progress: Progress | None = None) -> Dossier:
    """Step 3 for one dossier: build each copy and put the leader's signature on it (app.sign_seal)."""
    from app.sign_seal import sign_dossier

    with remote_signing.audited_failure(user, dossier_id, addr), copy_check_audited(user, dossier_id, addr):
        return sign_dossier(user, dossier_id, addr, progress)


def seal(user: CurrentUser, dossier_id: int, addr: str = "", progress: Progress | None = None
         ) -> list[RegisterEntry]:
    """Step 4 for one dossier: the register's numbers, the office's signature, the entries (app.sign_seal)."""
    from app.sign_seal import seal_dossier

    with remote_signing.audited_failure(user, dossier_id, addr), copy_check_audited(user, dossier_id, addr):
        return seal_dossier(user, dossier_id, addr, progress)


@contextmanager
def refused_signing(whose: str):
    """pyHanko refuses to sign when the certificate is revoked or its status or a time-stamp cannot be
    obtained (B-LT): say so in Vietnamese; nothing is written, no number is used."""
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError
    from pyhanko_certvalidator.errors import RevokedError

    from app.signing.http import ServiceOutage

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


def trust_roots() -> list:
    settings = get_settings()
    roots: list = list(settings.trust_roots)
    if settings.demo:
        roots.extend(demo_pki().trust_roots())
    return roots


def verify_bytes(data: bytes, at=None) -> VerificationResult:
    return verify_pdf(data, trust_roots=trust_roots(), lookup=lookup_by_sha256, at=at)
