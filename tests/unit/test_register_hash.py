"""The register's hash chain is stored: an entry written by this version must hash the same after any
upgrade, or `verify-register` reports every entry of every office as changed. The two hashes below were
computed when the format was fixed (issue 30); a change to what is chained, in which order or how it is
serialised breaks them — a new format would need a migration that re-chains, not a silent change."""
from __future__ import annotations

from datetime import UTC, datetime

from domain.models import RegisterEntry
from domain.register.numbering import (
    VERIFY_CODE_ALPHABET,
    VERIFY_CODE_LENGTH,
    entry_hash,
    new_verify_code,
)


def _entry(**sealed) -> RegisterEntry:
    return RegisterEntry(
        prev_hash="ab" * 32, office_id=3, year=2026, number=17, number_text="17/2026", book="01/2026-SCT/BS",
        dossier_id=41, original_id=52, issued_at=datetime(2026, 3, 4, 9, 30, 5, tzinfo=UTC),
        requester_name="Nguyễn Thị Hoà", requester_id_number="001099001234", document_title="Bằng tốt nghiệp",
        issuer="Trường THPT Việt Đức", pages=3, copies=2, fee=8000, signer_name="Trần Văn Lãnh",
        notes="Bản chính có dấu giáp lai", file_sha256="cd" * 32, verify_code="ABCD2345EFGH6789", **sealed)


def test_an_entry_written_before_long_term_copies_keeps_its_hash():
    assert entry_hash(_entry()) == "71bc247f72cd4287edcf08b076dc58609e7c5d3d96bb32e045b21bc3154bf5c2"


def test_a_sealed_entry_keeps_its_hash():
    sealed = _entry(sealed_sha256="ef" * 32, leader_cert_sha256="01" * 32, office_cert_sha256="23" * 32)
    assert entry_hash(sealed) == "06c83d9774405ee574956ca00ad523434573619a1da147cb37ff0804a014f3e4"


def test_verification_codes_are_sixteen_characters_a_person_can_type():
    codes = {new_verify_code() for _ in range(50)}
    assert len(codes) == 50
    assert all(len(code) == VERIFY_CODE_LENGTH == 16 for code in codes)
    assert set().union(*codes) <= set(VERIFY_CODE_ALPHABET)
    assert not set("01ILO") & set(VERIFY_CODE_ALPHABET)
