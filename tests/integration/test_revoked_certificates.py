"""Revocation at the time of signing decides: revoked before, the copy is invalid (and the product
refuses to sign); revoked after, a genuine copy stays valid."""
from __future__ import annotations

import datetime as dt
from io import BytesIO

import httpx
import pytest
from asn1crypto import crl, ocsp
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation.dss import DocumentSecurityStore

from app import certification_service as service
from app.db import write_scope
from app.signing import worker as signing_worker
from app.signing.factory import signer_from_config
from app.signing.verify import verify_pdf
from domain.dossiers import WorkflowError
from domain.models import Account
from tests.support.ltv import augment_like_a_bank, issue_copy, register_lookup, unsigned_copy
from tests.support.workflow import signed_dossier_ready, user_named

NOW = dt.datetime.now(dt.UTC)


def ocsp_response(pki, cert) -> bytes:
    issuer = pki.cert("interm")
    request = ocsp.OCSPRequest({"tbs_request": {"request_list": [{"req_cert": {
        "hash_algorithm": {"algorithm": "sha1"}, "issuer_name_hash": issuer.subject.sha1,
        "issuer_key_hash": issuer.public_key.sha1, "serial_number": cert.serial_number}}]}})
    return httpx.post(f"{pki.url_prefix}/chungthuc/ocsp/interm", content=request.dump(),
                      headers={"Content-Type": "application/ocsp-request"}).content


def test_a_copy_signed_after_the_leader_certificate_was_revoked_is_invalid(pki_services):
    pki = pki_services
    pki.issue_person("revoked-early", "Phạm Văn Thu", "Phó Chủ tịch", "UBND phường Hoàn Kiếm (demo)")
    pki.revoke("revoked-early", NOW - dt.timedelta(days=2))
    signer = signer_from_config({"kind": "demo", "key_id": "revoked-early"}, demo_pki=pki).pyhanko_signer
    # what a careless tool produces: a time-stamped signature, then the (revoked) OCSP answer in a DSS
    out = BytesIO()
    signers.PdfSigner(
        signers.PdfSignatureMetadata(field_name="LanhDao", subfilter=fields.SigSeedSubFilter.PADES),
        signer=signer,
        timestamper=HTTPTimeStamper(pki.tsa_url()),
    ).sign_pdf(IncrementalPdfFileWriter(BytesIO(unsigned_copy(1))), output=out)
    sig = PdfFileReader(BytesIO(out.getvalue())).embedded_regular_signatures[0]
    response = ocsp.OCSPResponse.load(ocsp_response(pki, signer.signing_cert))
    assert response.basic_ocsp_response["tbs_response_data"]["responses"][0]["cert_status"].name == "revoked"
    root_crl = crl.CertificateList.load(httpx.get(f"{pki.url_prefix}/chungthuc/crls/root/latest.crl").content)
    DocumentSecurityStore.add_dss(out, sig.pkcs7_content, certs=[pki.cert("interm"), pki.cert("ocsp")],
                                  ocsps=[response], crls=[root_crl])
    res = verify_pdf(out.getvalue(), trust_roots=pki.trust_roots())
    assert not res.valid and res.signatures[0].revoked and not res.signatures[0].trusted
    assert any("đã bị thu hồi trước thời điểm ký" in p for p in res.problems)


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
            service.sign(user_named("lanhdao"), dossier_id)
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
    assert res.valid, res.problems
    res = verify_pdf(augmented, trust_roots=pki.trust_roots(), lookup=register_lookup(sealed),
                     at=dt.datetime.now(dt.UTC) + dt.timedelta(days=365 * 7))
    assert res.valid, res.problems
