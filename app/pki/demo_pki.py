"""The demo PKI: a root and an issuing CA with CRLs, OCSP and two TSA certificates, built by Certomancer
from ``certomancer.yml`` (next to this file) plus one certificate per person or office key issued.

Everything lives in one directory (DATA_DIR/pki or PKI_DIR): keys/, registry.json (what was issued,
with fixed serials and dates), certomancer.yml (the full config, rewritten on every issuance or
revocation; the services reload it), p12/ (each signer's PKCS#12 file). Issuance takes a file lock,
so worker processes may issue concurrently.
"""
from __future__ import annotations

import contextlib
import copy
import fcntl
import hashlib
import json
import os
import re
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from .backend import install as _install_backend

_install_backend()
ARCH = "chungthuc"
TEMPLATE = Path(__file__).with_name("certomancer.yml")
_KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")
_CA_KEYS = ("root", "interm", "ocsp", "tsa", "tsa2")
# Demo certificate policy OIDs under Viet Nam's country arc (2.16.704): not registered, demo only.
POLICY_PERSON = "2.16.704.1.99.1.1"
POLICY_ORG = "2.16.704.1.99.1.2"
CA_YEARS, TSA_YEARS, SIGNER_YEARS = 60, 10, 5


class DemoPki:
    def __init__(self, directory: str | os.PathLike):
        self.dir = Path(directory)
        self._arch = None
        self._arch_mtime = 0.0

    # --- set-up ---------------------------------------------------------------------------
    def ensure(self, url_prefix: str) -> DemoPki:
        """Create keys and the registry once (idempotent); ``url_prefix`` is where the services answer."""
        with self._locked():
            if not self.registry_path.exists():
                (self.dir / "keys").mkdir(parents=True, exist_ok=True)
                for name in _CA_KEYS:
                    self._write_key(name, rsa.generate_private_key(public_exponent=65537, key_size=2048))
                now = datetime.now(UTC).replace(microsecond=0)
                reg = {"url_prefix": url_prefix.rstrip("/"), "created": now.isoformat(),
                       "p12_password": secrets.token_urlsafe(18), "entries": {}}
                self._save(reg)
        return self

    @property
    def registry_path(self) -> Path:
        return self.dir / "registry.json"

    @property
    def config_path(self) -> Path:
        return self.dir / "certomancer.yml"

    @property
    def url_prefix(self) -> str:
        return self._registry()["url_prefix"]

    def tsa_url(self, label: str = "tsa") -> str:
        return f"{self.url_prefix}/{ARCH}/tsa/{label}"

    # --- issuance -------------------------------------------------------------------------
    def issue_person(self, key_id: str, full_name: str, title: str, office_name: str,
                     person_id: str = "") -> Path:
        """A leader's certificate: CN, title, O = office, UID = 'CCCD:<number>' (as Vietnamese CAs do)."""
        name = {"common-name": full_name, "organization-name": office_name}
        if title:
            name["title"] = title
        name["user-id"] = f"CCCD:{person_id or _demo_id(key_id)}"
        return self._issue(key_id, name, POLICY_PERSON)

    def issue_office(self, key_id: str, office_name: str, org_id: str = "") -> Path:
        """An office seal certificate: CN = O = office, organizationIdentifier 'NTRVN-<code>'."""
        name = {"common-name": office_name, "organization-name": office_name,
                "organization-identifier": f"NTRVN-{org_id or _demo_id(key_id)}"}
        return self._issue(key_id, name, POLICY_ORG)

    def revoke(self, key_id: str, since: datetime, reason: str = "key_compromise") -> None:
        with self._locked():
            reg = self._registry()
            reg["entries"][key_id]["revoked_since"] = since.astimezone(UTC).isoformat()
            reg["entries"][key_id]["reason"] = reason
            self._save(reg)

    def p12_path(self, key_id: str) -> Path:
        if not _KEY_ID.match(key_id):
            raise ValueError(f"invalid demo key id: {key_id!r}")
        return self.dir / "p12" / f"{key_id}.p12"

    def p12_password(self) -> bytes:
        return self._registry()["p12_password"].encode()

    # --- trust ----------------------------------------------------------------------------
    def root_cert(self) -> asn1_x509.Certificate:
        return self.arch().get_cert(CertLabel("root"))

    def root_cert_der(self) -> bytes:
        return self.root_cert().dump()

    def root_cert_pem(self) -> bytes:
        return pem.armor("CERTIFICATE", self.root_cert_der())

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        return [self.root_cert()]

    def cert(self, label: str) -> asn1_x509.Certificate:
        return self.arch().get_cert(CertLabel(label))

    def arch(self):
        """Certomancer's view of the PKI, reloaded when the config changed (issuance elsewhere)."""
        mtime = self.config_path.stat().st_mtime
        if self._arch is None or mtime != self._arch_mtime:
            cfg = self.config()
            self._arch, self._arch_mtime = cfg.get_pki_arch(ArchLabel(ARCH)), mtime
        return self._arch

    def config(self) -> CertomancerConfig:
        # Lazy keys: loading an RSA key costs ~0.1 s (cryptography checks it); most are not needed.
        return CertomancerConfig(yaml.safe_load(self.config_path.read_text("utf-8")),
                                 key_search_dir=str(self.dir), lazy_load_keys=True)

    # --- internals ------------------------------------------------------------------------
    def _issue(self, key_id: str, name: dict, policy: str) -> Path:
        path = self.p12_path(key_id)
        if path.exists():
            return path
        with self._locked():
            if path.exists():
                return path
            reg = self._registry()
            self._write_key(f"ee-{key_id}", ec.generate_private_key(ec.SECP256R1()))
            now = datetime.now(UTC).replace(microsecond=0)
            serial = 100 + len(reg["entries"])
            reg["entries"][key_id] = {"name": name, "policy": policy, "serial": serial,
                                      "valid_from": (now - timedelta(hours=1)).isoformat(),
                                      "valid_to": (now + timedelta(days=365 * SIGNER_YEARS)).isoformat()}
            self._save(reg)
            data = self.arch().package_pkcs12(CertLabel(f"ee-{key_id}"), password=self.p12_password())
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data, mode=0o600)
        return path

    def _registry(self) -> dict:
        return json.loads(self.registry_path.read_text("utf-8"))

    def _save(self, reg: dict) -> None:
        write_atomic(self.registry_path, json.dumps(reg, ensure_ascii=False, indent=1).encode(), mode=0o600)
        write_atomic(self.config_path, yaml.safe_dump(build_config(reg), allow_unicode=True).encode(),
                     mode=0o600)

    def _write_key(self, name: str, key) -> None:
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        write_atomic(self.dir / "keys" / f"{name}.key.pem", pem, mode=0o600)

    @contextlib.contextmanager
    def _locked(self):
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.dir / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def build_config(reg: dict) -> dict:
    """The static template + the registry's dates and issued keys = one Certomancer config."""
    cfg = copy.deepcopy(yaml.safe_load(TEMPLATE.read_text("utf-8")))
    cfg["external-url-prefix"] = reg["url_prefix"]
    created = datetime.fromisoformat(reg["created"])
    dates = {"ROOT_FROM": created - timedelta(days=1), "ROOT_TO": created + timedelta(days=365 * CA_YEARS),
             "INTERM_TO": created + timedelta(days=365 * (CA_YEARS - 5)),
             "TSA_TO": created + timedelta(days=365 * TSA_YEARS)}
    arch = cfg["pki-architectures"][ARCH]
    for spec in arch["certs"].values():
        validity = spec.get("validity", {})
        for key, value in list(validity.items()):
            validity[key] = _iso(dates[value])
    keys = cfg["keysets"]["demo"]["keys"]
    keys.update({name: {"path": f"{name}.key.pem"} for name in _CA_KEYS})
    for key_id, e in reg["entries"].items():
        label = f"ee-{key_id}"
        keys[label] = {"path": f"{label}.key.pem"}
        arch["entities"][label] = e["name"]
        cert = {
            "issuer": "interm", "serial": e["serial"],
            "validity": {"valid-from": _iso(e["valid_from"]), "valid-to": _iso(e["valid_to"])},
            "profiles": ["digsig-commitment"],
            "extensions": [
                {"id": "certificate_policies", "value": [{"policy_identifier": e["policy"]}]},
                {"id": "authority_information_access", "smart-value": {"schema": "aia-urls", "params": {
                    "ocsp-responder-names": ["interm"], "ca-issuer-links": [{"repo": "interm"}]}}},
            ],
        }
        if e.get("revoked_since"):
            cert["revocation"] = {
                "revoked-since": _iso(e["revoked_since"]),
                "reason": e.get("reason", "unspecified"),
            }
        arch["certs"][label] = cert
    return cfg


def _iso(value) -> str:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _demo_id(key_id: str) -> str:
    """A stable, obviously fake 12-digit identifier for demo certificates."""
    return "0" + str(int(hashlib.sha256(key_id.encode()).hexdigest(), 16))[:11]


def write_atomic(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Temp file then rename: a reader never sees half a key, registry or config."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
