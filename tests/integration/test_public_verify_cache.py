"""The public verification remembers a file's signature check only for a while: a verdict depends on
the day (a time-stamp's certificate ends, revocation data lapses), and the server runs for years."""
from __future__ import annotations

import hashlib

from app.signing import certification_service
from app.verification import public_verify
from domain.signing.verification import Status, VerificationResult


def test_a_remembered_signature_check_is_judged_again_after_a_while(monkeypatch):
    data = b"%PDF-1.7 not really"
    judged = []

    def judge(pdf: bytes) -> VerificationResult:
        judged.append(pdf)
        return VerificationResult(Status.ALTERED, hashlib.sha256(pdf).hexdigest())

    monkeypatch.setattr(certification_service, "verify_bytes", judge)
    public_verify._cache.clear()
    public_verify.verify_cached(data)
    public_verify.verify_cached(data)
    assert len(judged) == 1  # remembered
    monkeypatch.setattr(public_verify, "CACHE_SECONDS", -1)  # as if the time had passed
    public_verify.verify_cached(data)
    assert len(judged) == 2
    public_verify._cache.clear()
