"""Which key signs this, decided in one place, once per action: a leader's signature, the office's seal
(copies and the closing of a year alike), and the time-stamp service and trust roots they sign with.

The stored config is made ready here (app/signing/keystore.py: the office's own sealed key, the
operator's token, an allowed remote service; in demo mode a demo key issued on first use, DEMO_CSC=1:
through the demo remote-signing service), a remote key gets its signer's approval of this batch
(app/signing/remote_signing.py), and a key on file or token is wrapped to sign in the signing process
(app/signing/worker.py). The callers (app/signing/sign_seal.py, app/register_print/closing.py,
app/signing/renewal.py) get a ready `Kit`.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from app.db import session_scope
from app.pki.demo_csc import demo_csc_config, demo_csc_enabled
from app.pki.demo_pki import DemoPki
from app.settings import get_settings
from app.signing import keystore, remote_signing
from domain.access import CurrentUser
from domain.models import Account, Office
from domain.ports import Signer

from . import worker
from .factory import signer_from_config
from .verify import load_trust_roots


class Kit(NamedTuple):
    """A ready signer and what its signature needs: the time-stamp service (None: no time-stamp, B-B)
    and the roots its signing-time validation trusts (B-LT)."""

    signer: Signer
    tsa_url: str | None
    trust_roots_der: tuple[bytes, ...]


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


def renewal_tsa_url() -> str | None:
    """RENEW_TSA_URL, else the signing TSA; the demo uses its TSA's next certificate (tsa2)."""
    if os.environ.get("RENEW_TSA_URL"):
        return os.environ["RENEW_TSA_URL"]
    if get_settings().demo and not get_settings().tsa_url:
        return demo_pki().tsa_url("tsa2")
    return tsa_url()


def trust_roots() -> list:
    """TRUST_ROOTS, and the demo PKI's root in demo mode: what signing and verification trust."""
    settings = get_settings()
    roots: list = list(settings.trust_roots)
    if settings.demo:
        roots.extend(demo_pki().trust_roots())
    return roots


def trust_roots_der() -> tuple[bytes, ...]:
    """Roots the signing-time validation (B-LT) and verification trust."""
    return tuple(cert.dump() for cert in load_trust_roots(trust_roots()))


def _signing_config(stored: dict | None, demo_key_id: str, issue: Callable[[DemoPki, str], object],
                    office_id: int, account_id: int | None, whose: str) -> dict:
    """The stored config made ready to sign; in demo mode without one, a demo key issued on first use."""
    cfg = stored or {}
    if not cfg and get_settings().demo:
        cfg = {"kind": "demo", "key_id": demo_key_id}
    if cfg.get("kind") != "demo":
        return keystore.runtime_config(cfg, office_id, account_id, whose)
    issue(demo_pki(), cfg["key_id"])
    if demo_csc_enabled():
        cfg = demo_csc_config(demo_pki(), cfg["key_id"])
    return cfg


def leader_signing_config(account: Account, office: Office) -> dict:
    key_id = f"leader-{account.username}-{_digest(account.full_name, account.title or '', office.name)}"
    return _signing_config(account.signing_config, key_id, lambda pki, kid: pki.issue_person(
        kid, account.full_name, account.title or "Lãnh đạo", office.name), office.id, account.id, "người ký")


def office_signing_config(office: Office) -> dict:
    return _signing_config(office.signing_config, f"office-{office.id}-{_digest(office.name)}",
                           lambda pki, kid: pki.issue_office(kid, office.name), office.id, None, "cơ quan")


def signer_config(user: CurrentUser, role: str) -> dict:
    """The config a remote-signing approval is for (components/remote_sign.py): the leader's own key, or
    the office's seal."""
    with session_scope() as session:
        office = session.get(Office, user.office_id) if user.office_id is not None else None
        if office is None:
            return {}
        if role == remote_signing.LEADER:
            return leader_signing_config(session.get(Account, user.account_id), office)
        return office_signing_config(office)


def build_signer(cfg: dict, role: str, approver_id: int) -> Signer:
    """The one way a Signer is built from a config: a remote key signs only with `approver_id`'s
    approval of this batch for `role`; a demo key comes from the demo PKI; a key on file or token
    signs in the signing process while it runs."""
    if remote_signing.is_remote(cfg):
        return signer_from_config(cfg, remote=remote_signing.approval_for(role, approver_id))
    return worker.offload(signer_from_config(cfg, demo_pki=demo_pki() if cfg.get("kind") == "demo" else None))


def leader_kit(account: Account, office: Office) -> Kit:
    """The leader's own signature (step 3), approved by the leader when the key is remote."""
    signer = build_signer(leader_signing_config(account, office), remote_signing.LEADER, account.id)
    return Kit(signer, tsa_url(), trust_roots_der())


def office_kit(office: Office, approver_id: int | None) -> Kit:
    """The office's seal (step 4, the closing of a year), approved by the clicker when the key is remote."""
    signer = build_signer(office_signing_config(office), remote_signing.OFFICE, approver_id or 0)
    return Kit(signer, tsa_url(), trust_roots_der())


def _digest(*parts: str) -> str:
    """Demo keys follow the name they certify: a renamed office or leader gets a new certificate."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:8]
