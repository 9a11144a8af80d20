"""The speed-ups that patch library internals (app/signing/speedups.py, app/pki/backend.py): these
tests fail if a library update changes what was patched, so the patch is revisited, not kept blindly."""
from __future__ import annotations

from io import BytesIO

import pytest
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic

from app.signing import speedups

HEX_STRINGS = [b"<48656c6c6F>", b"< 48 65\n6c\r\t6c 6f >rest", b"<486>", b"<>", b"<" + b"ab" * 40000 + b">",
               b"<48zz>", b"<4865", b"<48 65 6"]


def outcome(reader, raw: bytes):
    stream = BytesIO(raw)
    try:
        value = reader(stream)
    except Exception as exc:  # noqa: BLE001 - the error type is part of the behaviour compared
        return type(exc).__name__, None
    return bytes(value.original_bytes), stream.tell()


@pytest.mark.parametrize("raw", HEX_STRINGS)
def test_hex_string_reader_gives_what_pyhankos_own_gives(raw):
    assert outcome(speedups.read_hex_string_from_stream, raw) == outcome(
        speedups.original_read_hex_string, raw
    )


def test_pyhanko_reads_hex_strings_through_the_patched_name():
    speedups.install()
    assert generic.read_hex_string_from_stream is speedups.read_hex_string_from_stream
    # read_object looks the reader up by this module-level name; if pyHanko stops doing so, the
    # patch silently does nothing
    assert "read_hex_string_from_stream" in generic.read_object.__code__.co_names
    assert bytes(generic.read_object(BytesIO(b"<4142>"), None).original_bytes) == b"AB"


@pytest.mark.parametrize(
    "value", ["Trần  Văn Lãnh", "UBND PHƯỜNG HOÀN KIẾM", " ủy ban\u00a0nhân dân ", "ÅﬁⅣ"]
)
def test_memoised_name_preparation_equals_asn1cryptos(value):
    assert speedups.prep(value) == speedups.original_ldap_string_prep(None, value)


def test_certificate_names_are_prepared_through_the_memo():
    speedups.install()
    speedups.prep.cache_clear()
    a = asn1_x509.Name.build({"common_name": "Trần Văn Lãnh"})
    b = asn1_x509.Name.build({"common_name": "trần  văn lãnh"})
    assert a == b  # RFC 5280 comparison: case and inner spaces folded
    assert speedups.prep.cache_info().misses == 2


def test_certomancer_signs_through_the_cached_backend():
    """app/pki/backend.py swaps Certomancer's module-level CRYPTO_BACKEND (its only hook): its
    signing functions must still dispatch through it, and the signatures must verify."""
    from asn1crypto import algos, keys
    from certomancer import crypto_utils
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    from app.pki.backend import CachedPycaBackend, install

    install()
    assert isinstance(crypto_utils.CRYPTO_BACKEND, CachedPycaBackend)
    assert "CRYPTO_BACKEND" in crypto_utils.generic_sign.__code__.co_names
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    private, public = crypto_utils.load_private_key(der, None)
    assert public.dump() == keys.PublicKeyInfo.load(key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).dump()
    algo = algos.SignedDigestAlgorithm({"algorithm": "sha256_rsa"})
    signature = crypto_utils.generic_sign(private, b"to be signed", algo)
    key.public_key().verify(
        signature, b"to be signed", padding.PKCS1v15(), hashes.SHA256()
    )  # raises if wrong
