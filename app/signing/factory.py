"""Build a Signer from the JSON-able dict an office or a leader stores in the database.

    {"kind": "pkcs12", "data": b"...", "password": b"..."}   (a key opened from the key store)
    {"kind": "pkcs12", "path": "...", "password": "..." | "password_file": "..."}   (tools and tests only)
    {"kind": "pkcs11", "module": "...", "token_label": "...", "key_label": "...",
     "cert_label": "...", "pin": "..." | "pin_file": "..."}
    {"kind": "demo", "key_id": "..."}   (needs ``demo_pki``; the key must have been issued)
    {"kind": "csc", "service_url": "...", "credential_id": "...", "client_id": "...",
     "client_secret_file": "..." | "token_file": "..."}   (needs ``remote``: the signer's approval)
"""
from __future__ import annotations

from pathlib import Path

from domain.ports import Signer

from .csc_errors import RemoteSigningError
from .pkcs11 import Pkcs11TokenSigner
from .pkcs12 import Pkcs12Signer


class SignerConfigError(ValueError):
    pass


def signer_from_config(cfg: dict, *, demo_pki=None, remote=None) -> Signer:
    kind = cfg.get("kind")
    if kind == "csc":
        if remote is None:  # a remote key signs only with the signer's approval (PIN/OTP) of this batch
            raise RemoteSigningError("not_authorized")
        return remote.signer()
    if kind == "pkcs12" and cfg.get("data"):
        return Pkcs12Signer(bytes(cfg["data"]), cfg.get("password"))
    if kind == "pkcs12":
        return Pkcs12Signer(_required(cfg, "path"), _secret(cfg, "password"))
    if kind == "pkcs11":
        pin = _secret(cfg, "pin")
        if pin is None:
            raise SignerConfigError("pkcs11 signer needs 'pin' or 'pin_file'")
        return Pkcs11TokenSigner(_required(cfg, "module"), _required(cfg, "token_label"), pin,
                                 key_label=cfg.get("key_label"), cert_label=cfg.get("cert_label"))
    if kind == "demo":
        if demo_pki is None:
            raise SignerConfigError("demo signer needs the demo PKI (DATA_DIR/pki)")
        path = demo_pki.p12_path(_required(cfg, "key_id"))
        if not path.exists():
            raise SignerConfigError(f"demo key {cfg['key_id']!r} has not been issued")
        return Pkcs12Signer(path, demo_pki.p12_password())
    raise SignerConfigError(f"unknown signer kind: {kind!r}")


def _required(cfg: dict, key: str) -> str:
    value = cfg.get(key)
    if not value:
        raise SignerConfigError(f"signer config of kind {cfg.get('kind')!r} needs {key!r}")
    return str(value)


def _secret(cfg: dict, key: str) -> str | None:
    """A secret given inline (from a setting) or, preferably, in a file readable by the app only."""
    if cfg.get(f"{key}_file"):
        return Path(cfg[f"{key}_file"]).read_text(encoding="utf-8").strip()
    value = cfg.get(key)
    return None if value is None else str(value)
