"""Remote signing (CSC) for a leader's key or the office seal: the approval ceremony and its audit.

The signer approves once (PIN/OTP, or on the phone) for as many signatures as the batch needs; the
approval is kept in this process for that signer until the batch ends, and the signer factory uses it.
The wait for the provider happens before any write transaction starts, so the register and the
database are never held while a phone rings. Every approval and every failure is audited.
"""
from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass

from sqlmodel import func, select

from app.db import session_scope, write_scope
from app.signing.csc import CscAuthorization, CscClient, CscCredential, CscSigner
from app.signing.csc_errors import RemoteSigningError
from app.signing.factory import SignerConfigError, _secret
from domain import audit
from domain.access import CurrentUser
from domain.errors import DomainError
from domain.models import Dossier, Original

LEADER, OFFICE = "leader", "office"


@dataclass
class RemoteApproval:
    client: CscClient
    credential: CscCredential
    authorization: CscAuthorization

    def signer(self) -> CscSigner:
        return CscSigner(self.client, self.credential, self.authorization)


_approvals: dict[tuple[str, int], RemoteApproval] = {}
_lock = threading.Lock()


# --- configuration (which key: app/signing/resolve.py; the demo service: app/pki/demo_csc.py) ---
def client_from_config(cfg: dict) -> CscClient:
    if not cfg.get("service_url") or not cfg.get("credential_id"):
        raise SignerConfigError("csc signer needs 'service_url' and 'credential_id'")
    return CscClient(str(cfg["service_url"]), str(cfg["credential_id"]), token=_secret(cfg, "token"),
                     client_id=cfg.get("client_id") or None, client_secret=_secret(cfg, "client_secret"),
                     token_url=cfg.get("token_url") or None, timeout=float(cfg.get("timeout") or 30),
                     authorize_timeout=float(cfg.get("authorize_timeout") or 120))


def is_remote(cfg: dict | None) -> bool:
    return bool(cfg) and cfg.get("kind") == "csc"


# --- the ceremony -------------------------------------------------------------------------
def approve(user: CurrentUser, role: str, cfg: dict, count: int, pin: str, addr: str = "") -> RemoteApproval:
    """Blocking (run it with run.io_bound): credential info, then one authorisation for ``count``
    signatures with the signer's PIN/OTP. Raises RemoteSigningError (audited)."""
    client = client_from_config(cfg)
    try:
        credential = client.credential()
        if credential.hash_pinning and count > 0:
            raise RemoteSigningError("unsupported", "SCAL2 credential")
        authorization = client.authorize(count, pin=pin or None,
                                         description=f"Ký {count} bản sao chứng thực điện tử")
    except RemoteSigningError as exc:
        record(user, "remote_sign_failed", f"Xác nhận ký số từ xa không thành công: {exc.message}", addr)
        raise
    approval = RemoteApproval(client, credential, authorization)
    with _lock:
        _approvals[(role, user.account_id)] = approval
    record(
        user, "remote_authorize", f"Xác nhận ký số từ xa cho {count} chữ ký ({credential.subject_name})", addr
    )
    return approval


def approval_for(role: str, account_id: int) -> RemoteApproval:
    with _lock:
        approval = _approvals.get((role, account_id))
    if approval is None:
        raise RemoteSigningError("not_authorized")
    return approval


def release(role: str, account_id: int) -> None:
    with _lock:
        _approvals.pop((role, account_id), None)


def signatures_needed(dossier_ids: list[int]) -> int:
    """One signature per original (each copy is signed on its own)."""
    return batch_summary(dossier_ids)[0]


def batch_summary(dossier_ids: list[int]) -> tuple[int, list[str]]:
    """How many signatures the batch needs, and its dossiers' codes and requesters (for review)."""
    if not dossier_ids:
        return 0, []
    with session_scope() as session:
        count = int(session.exec(select(func.count()).select_from(Original)
                                 .where(Original.dossier_id.in_(dossier_ids))).one())
        rows = session.exec(select(Dossier.code, Dossier.requester_name).where(Dossier.id.in_(dossier_ids))
                            .order_by(Dossier.id)).all()
    return count, [f"{code} — {name}" for code, name in rows]


@contextlib.contextmanager
def audited_failure(user: CurrentUser, dossier_id: int, addr: str = ""):
    """A remote signing failure is audited after the use case's transaction rolled back."""
    try:
        yield
    except RemoteSigningError as exc:
        record_failure(user, dossier_id, exc, addr)
        raise


def record_failure(user: CurrentUser, dossier_id: int, exc: Exception, addr: str = "") -> None:
    """The failed attempt, in its own transaction (the signing one was rolled back)."""
    text = exc.message if isinstance(exc, DomainError) else type(exc).__name__
    with session_scope() as session:
        dossier = session.get(Dossier, dossier_id)
        code = dossier.code if dossier else f"#{dossier_id}"
        office_id = dossier.office_id if dossier else None
    record(user, "remote_sign_failed", f"Ký số từ xa hồ sơ {code} không thành công: {text}", addr,
           target_id=dossier_id, office_id=office_id)


def record(user: CurrentUser, action: str, summary: str, addr: str = "", *, target_id: object = "",
           office_id: int | None = None) -> None:
    with write_scope() as session:
        audit.record(session, audit.actor_of(user, addr), action,
                     target_type="dossier" if target_id else "account",
                     target_id=target_id or user.account_id, office_id=office_id or user.office_id,
                     summary=summary[:400])
