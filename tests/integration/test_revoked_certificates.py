"""Revocation at the time of signing decides: revoked before, the copy is invalid (and the product
refuses to sign); revoked after, a genuine copy stays valid."""
from __future__ import annotations

import datetime as dt

import pytest

from app.db import UNITS, write_scope
from app.signing import certification_service as service
from app.signing import worker as signing_worker
from app.signing.factory import signer_from_config
from app.signing.verify import verify_pdf
from domain.dossiers import WorkflowError
from domain.models import Account
from tests.support.ltv import augment_like_a_bank, issue_copy, register_lookup, sign_carelessly, unsigned_copy
from tests.support.workflow import signed_dossier_ready, user_named

NOW = dt.datetime.now(dt.UTC)


def test_a_copy_signed_after_the_leader_certificate_was_revoked_is_invalid(pki_services):
    pki = pki_services
    pki.issue_person("revoked-early", "Phạm Văn Thu", "Phó Chủ tịch", "UBND phường Hoàn Kiếm (demo)")
    pki.revoke("revoked-early", NOW - dt.timedelta(days=2))
    signer = signer_from_config({"kind": "demo", "key_id": "revoked-early"}, demo_pki=pki).pyhanko_signer
    signed = sign_carelessly(unsigned_copy(1), pki, signer)  # signed, then the OCSP answer "revoked" filed
    res = verify_pdf(signed, trust_roots=pki.trust_roots())
    assert not res.valid and res.signatures[0].revoked and not res.signatures[0].trusted
    since = (NOW - dt.timedelta(days=2)).astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%d/%m/%Y")
    assert any(f"đã bị thu hồi ngày {since}, trước thời điểm ký" in p for p in res.problems), res.problems


@pytest.mark.parametrize("processes", [0, 1], ids=["in-thread", "signing-process"])
def test_the_product_refuses_to_sign_with_a_revoked_certificate(demo_db, pki_services, processes):
    """Also as the server signs, in its signing process (app/signing/worker.py): the refusal crosses back."""
    key_id = f"revoked-signer-{processes}"
    pki_services.issue_person(key_id, "Đỗ Văn Hủy", "Chủ tịch UBND phường", "UBND phường Hoàn Kiếm (demo)")
    pki_services.revoke(key_id, NOW - dt.timedelta(days=1))
    with write_scope() as session:
        leader = session.get(Account, user_named("lanhdao").account_id)
        leader.signing_config = {"kind": "demo", "key_id": key_id}
        session.add(leader)
        session.commit()
    dossier_id = signed_dossier_ready(pages=1)
    signing_worker.start(processes)
    try:
        with pytest.raises(WorkflowError, match="đã bị thu hồi"):
            service.sign(UNITS, user_named("lanhdao"), dossier_id)
    finally:
        signing_worker.stop()


def test_a_certificate_revoked_after_signing_leaves_a_genuine_copy_valid(pki_services):
    pki = pki_services
    _, sealed = issue_copy(pki, unsigned_copy(1), leader_key="revoked-later")
    pki.revoke("revoked-later", dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
    import time

    time.sleep(1.5)
    augmented = augment_like_a_bank(sealed, pki)  # the DSS now also holds the answer "revoked"
    res = verify_pdf(augmented, trust_roots=pki.trust_roots(), lookup=register_lookup(sealed))
    assert res.valid, res.problems  # years later: tests/integration/test_copies_decades_on.py
