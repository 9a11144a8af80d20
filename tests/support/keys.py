"""Keys put into the key store as the administrator's upload would (app/signing/keystore.py), for tests that
need an office or a leader to sign with a PKCS#12 key or a remote credential of its own."""
from __future__ import annotations

from app.signing import keystore
from domain.models import SigningSecret


def stored_pkcs12(session, office_id: int, p12: bytes, password: bytes | str,
                  account_id: int | None = None) -> dict:
    """The signing config for `p12` kept sealed for that office (and leader); the caller commits."""
    secret = keystore.read_pkcs12(p12, password.decode() if isinstance(password, bytes) else password)
    row = _add(session, office_id, account_id, secret)
    return {"kind": "pkcs12", "key_ref": row.id, "subject": secret.cert.subject}


def stored_csc(session, office_id: int, cfg: dict, account_id: int | None = None) -> dict:
    """A remote (CSC) config whose client secret file is read once and kept sealed, as typed on the page."""
    with open(cfg["client_secret_file"], encoding="utf-8") as f:
        row = _add(session, office_id, account_id, keystore.seal_secret(f.read(), "csc_secret"))
    kept = {k: v for k, v in cfg.items() if k != "client_secret_file"}
    return kept | {"secret_ref": row.id, "secret_kind": "csc_secret"}


def _add(session, office_id, account_id, secret) -> SigningSecret:
    cert = secret.cert
    row = SigningSecret(office_id=office_id, account_id=account_id, kind=secret.kind, sealed=secret.sealed,
                        cert_sha256=cert.sha256 if cert else "", subject=cert.subject if cert else "",
                        organisation=cert.organisation if cert else "")
    session.add(row)
    session.flush()
    return row
