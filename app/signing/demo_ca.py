"""A local demo certificate authority: root -> intermediate -> people and offices (PKCS#12 files).

Everything lives under one directory (the app passes DATA_DIR/ca); ``ensure()`` is idempotent.
Demo certificates are marked "(demo)" in the organisation name and are trusted only where the
root certificate is explicitly installed.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

_KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_DEMO_ORG = "Hệ thống chứng thực điện tử (demo)"


class DemoCA:
    def __init__(self, directory: str | os.PathLike):
        self.dir = Path(directory)

    # --- public API -------------------------------------------------------------------------
    def ensure(self) -> DemoCA:
        """Create the root and intermediate CA once; later calls just check they exist."""
        self.dir.mkdir(parents=True, exist_ok=True)
        if not self._password_path.exists():
            _write_private(self._password_path, secrets.token_urlsafe(24).encode())
        if not (self.dir / "root.pem").exists():
            key = ec.generate_private_key(ec.SECP256R1())
            name = _name("Demo Root CA — Chứng thực điện tử", _DEMO_ORG)
            cert = _build(name, name, key.public_key(), key, years=20, ca=True, path_len=1)
            self._save_ca("root", key, cert)
        if not (self.dir / "intermediate.pem").exists():
            root_key, root_cert = self._load_ca("root")
            key = ec.generate_private_key(ec.SECP256R1())
            name = _name("Demo Issuing CA — Chứng thực điện tử", _DEMO_ORG)
            cert = _build(name, root_cert.subject, key.public_key(), root_key, years=10, ca=True,
                          path_len=0, issuer_cert=root_cert)
            self._save_ca("intermediate", key, cert)
        return self

    def issue_person(self, key_id: str, full_name: str, title: str, office_name: str) -> Path:
        """Personal certificate of a leader (CN = full name, title, O = office). Idempotent per key_id."""
        attrs = [x509.NameAttribute(NameOID.TITLE, title)] if title else []
        return self._issue(key_id, _name(full_name, office_name, attrs))

    def issue_office(self, key_id: str, office_name: str) -> Path:
        """Organisation certificate of an office (CN = O = office name). Idempotent per key_id."""
        return self._issue(key_id, _name(office_name, office_name))

    def p12_path(self, key_id: str) -> Path:
        _check_key_id(key_id)
        return self.dir / "keys" / f"{key_id}.p12"

    def p12_password(self) -> bytes:
        return self._password_path.read_bytes().strip()

    def root_cert_pem(self) -> bytes:
        return (self.dir / "root.pem").read_bytes()

    def root_cert_der(self) -> bytes:
        return self._load_cert("root").public_bytes(serialization.Encoding.DER)

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        return [asn1_x509.Certificate.load(self.root_cert_der())]

    # --- internals --------------------------------------------------------------------------
    @property
    def _password_path(self) -> Path:
        return self.dir / "p12-password"

    def _issue(self, key_id: str, subject: x509.Name) -> Path:
        path = self.p12_path(key_id)
        if path.exists():
            return path
        self.ensure()
        ca_key, ca_cert = self._load_ca("intermediate")
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _build(subject, ca_cert.subject, key.public_key(), ca_key, years=5, ca=False,
                      issuer_cert=ca_cert)
        data = pkcs12.serialize_key_and_certificates(
            key_id.encode(), key, cert, [ca_cert, self._load_cert("root")],
            serialization.BestAvailableEncryption(self.p12_password()),
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_private(path, data)
        return path

    def _save_ca(self, stem: str, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate) -> None:
        enc = serialization.BestAvailableEncryption(self.p12_password())
        pem_key = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, enc)
        _write_private(self.dir / f"{stem}.key.pem", pem_key)
        _write_private(self.dir / f"{stem}.pem", cert.public_bytes(serialization.Encoding.PEM), mode=0o644)

    def _load_cert(self, stem: str) -> x509.Certificate:
        return x509.load_pem_x509_certificate((self.dir / f"{stem}.pem").read_bytes())

    def _load_ca(self, stem: str):
        key = serialization.load_pem_private_key((self.dir / f"{stem}.key.pem").read_bytes(),
                                                 self.p12_password())
        return key, self._load_cert(stem)


def _name(common_name: str, org: str, extra: list[x509.NameAttribute] | None = None) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
        *(extra or []),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _build(subject, issuer, public_key, signing_key, *, years, ca, path_len=None, issuer_cert=None):
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(issuer).public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_len if ca else None), critical=True)
        .add_extension(_key_usage(ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if issuer_cert is not None:
        aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_cert.public_key())
        builder = builder.add_extension(aki, critical=False)
    return builder.sign(signing_key, hashes.SHA256())


def _key_usage(ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
        encipher_only=False, decipher_only=False,
    )


def _check_key_id(key_id: str) -> None:
    if not _KEY_ID.match(key_id):
        raise ValueError(f"invalid demo key id: {key_id!r}")


def _write_private(path: Path, data: bytes, mode: int = 0o600) -> None:
    tmp = path.with_name(path.name + f".{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
