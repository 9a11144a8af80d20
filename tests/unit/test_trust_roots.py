"""The trust roots a verifier is given (TRUST_ROOTS: certificate files, PEM or DER; or certificates already
loaded), read by app/signing/verify.py's load_trust_roots: every certificate of a PEM bundle, in order; a file
replaced on disk is read again. Times in a verdict are shown in Vietnam's time."""
from __future__ import annotations

import datetime as dt
import os

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.signing import verify


def certificate(name: str) -> bytes:
    """A small self-signed certificate (DER)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    made = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256()))
    return made.public_bytes(serialization.Encoding.DER)


def pem(der: bytes) -> bytes:
    return x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM)


def names(certs) -> list[str]:
    return [c.subject.native["common_name"] for c in certs]


def test_roots_from_der_and_pem_files_and_loaded_certificates(tmp_path):
    root_a, root_b, root_c = certificate("Gốc A"), certificate("Gốc B"), certificate("Gốc C")
    (tmp_path / "a.cer").write_bytes(root_a)
    (tmp_path / "bundle.pem").write_bytes(pem(root_b) + pem(root_c))
    loaded = verify.load_trust_roots([asn1_x509.Certificate.load(root_c), tmp_path / "a.cer",
                                      str(tmp_path / "bundle.pem")])
    assert names(loaded) == ["Gốc C", "Gốc A", "Gốc B", "Gốc C"]
    assert loaded[1].dump() == root_a and loaded[3].dump() == root_c
    assert verify.load_trust_roots([]) == []


def test_a_root_file_replaced_on_disk_is_read_again(tmp_path):
    """Known by its path, its modification time and its size: a change of either is a new file."""
    path = tmp_path / "root.pem"
    old = pem(certificate("Goc 1"))
    path.write_bytes(old)
    os.utime(path, ns=(10**18, 10**18))
    first = verify.load_trust_roots([path])
    assert verify.load_trust_roots([path])[0] is first[0]  # read once while the file is unchanged
    new = pem(certificate("Goc 2"))
    while len(new) != len(old):  # the same size: only the time tells
        new = pem(certificate("Goc 2"))
    path.write_bytes(new)
    os.utime(path, ns=(2 * 10**18, 2 * 10**18))
    assert names(verify.load_trust_roots([path])) == ["Goc 2"]
    path.write_bytes(new + pem(certificate("Goc 3")))
    os.utime(path, ns=(2 * 10**18, 2 * 10**18))  # the same time: only the size tells
    assert names(verify.load_trust_roots([path])) == ["Goc 2", "Goc 3"]


def test_times_are_shown_in_vietnams_time():
    moment = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
    local = verify._local(moment)
    assert (local.hour, local.utcoffset()) == (9, dt.timedelta(hours=7)) and local == moment
    assert verify._local(None) is None
