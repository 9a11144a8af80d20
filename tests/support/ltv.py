"""Long-term copies in tests: issue one against the demo PKI, a register lookup like the product's,
and what outside tools do to a copy (a bank's DSS + document time-stamp, a stranger's signature)."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from io import BytesIO
from pathlib import Path

import httpx
from asn1crypto import crl, ocsp
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import PdfTimeStamper, fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext

from app.pki.demo_pki import DemoPki
from app.signing.copy_pdf import ScanInput, StatementInput, build_copy_pdf
from app.signing.factory import signer_from_config
from app.signing.revisions import copy_facts
from app.signing.signatures import seal_as_office, sign_as_leader
from domain.signing.verification import RegisterInfo
from tests.support.signing import make_scan_jpeg

OFFICE = "UBND phường Hoàn Kiếm (demo)"
LEADER = "Trần Văn Lãnh"
TITLE = "Chủ tịch UBND phường"
CODE = "Xk3fQ9pLm2"
VERIFY_URL = f"https://chungthuc.example.vn/verify/{CODE}"


def unsigned_copy(pages: int = 2) -> bytes:
    scans = [ScanInput(make_scan_jpeg(i + 1)) for i in range(pages)]
    return build_copy_pdf(scans, StatementInput("Nguyễn Thị Hường", "Bằng tốt nghiệp đại học",
                                                "Trường ĐH Bách khoa", office_name=OFFICE))


def issue_copy(pki: DemoPki, pdf: bytes, *, leader_key: str = "lanh", office_key: str = "hoan-kiem",
               long_term: bool = True, careless: bool = False) -> tuple[bytes, bytes]:
    """(leader-signed, sealed) like the workflow: B-LTA with the demo TSA, or B-B.

    A mutation run (tools/mutation.py) names a folder in TEST_ISSUED_COPY_DIR: the copies the unmutated
    stats pass issued are kept there and reused by every mutant's session (signing and time-stamping
    took seconds a mutant; the code under mutation verifies copies, it does not issue them)."""
    folder = os.environ.get("TEST_ISSUED_COPY_DIR")
    if not folder:
        return _issue_copy(pki, pdf, leader_key, office_key, long_term, careless)
    # unsigned_copy's bytes differ between calls only by their creation time: its length names it
    key = hashlib.sha256(repr((str(pki.dir), leader_key, office_key, long_term, careless, len(pdf))).encode())
    kept = [Path(folder) / f"{key.hexdigest()[:16]}-{part}.pdf" for part in ("signed", "sealed")]
    if not all(path.exists() for path in kept):
        Path(folder).mkdir(parents=True, exist_ok=True)
        for path, data in zip(kept, _issue_copy(pki, pdf, leader_key, office_key, long_term, careless),
                              strict=True):
            path.with_suffix(".tmp").write_bytes(data)
            path.with_suffix(".tmp").replace(path)
    return kept[0].read_bytes(), kept[1].read_bytes()


def _issue_copy(pki: DemoPki, pdf: bytes, leader_key: str, office_key: str, long_term: bool,
                careless: bool) -> tuple[bytes, bytes]:
    pki.issue_person(leader_key, LEADER, TITLE, OFFICE)
    pki.issue_office(office_key, OFFICE)
    leader = signer_from_config({"kind": "demo", "key_id": leader_key}, demo_pki=pki)
    office = signer_from_config({"kind": "demo", "key_id": office_key}, demo_pki=pki)
    tsa = pki.tsa_url() if long_term else None
    roots = (pki.root_cert_der(),) if long_term else ()
    if careless:  # what a careless tool does with a revoked key: signs, then files the answer "revoked"
        signed = sign_carelessly(pdf, pki, leader.pyhanko_signer)
    else:
        signed = sign_as_leader(pdf, leader, name=LEADER, title=TITLE, office_name=OFFICE, tsa_url=tsa,
                                trust_roots_der=roots)
    sealed = seal_as_office(
        signed,
        office,
        office_name=OFFICE,
        number_text="15/ĐT",
        book="01/2025-SCTĐT/BS",
        date=dt.date(2025, 11, 27),
        verify_url=VERIFY_URL,
        tsa_url=tsa,
        trust_roots_der=roots,
    )
    return signed, sealed


def register_lookup(sealed: bytes, **changes):
    """A lookup like the product's: by the issued file's hash, or by the hash of the sealed revision."""
    facts = copy_facts(sealed)
    entry = RegisterInfo(
        "15/ĐT",
        "01/2025-SCTĐT/BS",
        OFFICE,
        dt.datetime(2025, 11, 27, 3, 0, tzinfo=dt.UTC),
        "Bằng tốt nghiệp đại học",
        2,
        "Nguyễn Thị Hường",
        leader_cert_sha256=facts.leader_cert_sha256,
        office_cert_sha256=facts.office_cert_sha256,
    )
    entry = RegisterInfo(**{**entry.__dict__, **changes})
    whole = hashlib.sha256(sealed).hexdigest()

    def lookup(sha: str) -> RegisterInfo | None:
        if sha == whole:
            return entry
        if sha == facts.sealed_sha256:
            return RegisterInfo(**{**entry.__dict__, "matched_sealed": True})
        return None

    return lookup


def augment_like_a_bank(pdf: bytes, pki: DemoPki) -> bytes:
    """What Acrobat or an EU DSS-based archive does: fresh revocation data in the DSS and a document
    time-stamp (here from the TSA's next certificate), in new revisions."""
    vc = ValidationContext(trust_roots=pki.trust_roots(), allow_fetching=True)
    out = BytesIO()
    PdfTimeStamper(HTTPTimeStamper(pki.tsa_url("tsa2"))).update_archival_timestamp_chain(
        PdfFileReader(BytesIO(pdf)), vc, in_place=False, output=out)
    return out.getvalue()


def append_foreign_signature(pdf: bytes, pki: DemoPki) -> bytes:
    """Another certificate of the same CA signs a new field on the last page."""
    pki.issue_person("stranger", "Lê Văn Lạ", "Chuyên viên", "Công ty TNHH Lạ")
    signer = signer_from_config({"kind": "demo", "key_id": "stranger"}, demo_pki=pki)
    meta = signers.PdfSignatureMetadata(field_name="Khac", subfilter=fields.SigSeedSubFilter.PADES)
    out = BytesIO()
    signers.PdfSigner(meta, signer=signer.pyhanko_signer,
                      new_field_spec=fields.SigFieldSpec("Khac", on_page=-1, box=(30, 30, 200, 80))).sign_pdf(
        IncrementalPdfFileWriter(BytesIO(pdf)), output=out)
    return out.getvalue()


def ocsp_response(pki: DemoPki, cert) -> bytes:
    """The demo OCSP responder's answer for ``cert`` (issued by the issuing CA), fetched now."""
    issuer = pki.cert("interm")
    request = ocsp.OCSPRequest({"tbs_request": {"request_list": [{"req_cert": {
        "hash_algorithm": {"algorithm": "sha1"}, "issuer_name_hash": issuer.subject.sha1,
        "issuer_key_hash": issuer.public_key.sha1, "serial_number": cert.serial_number}}]}})
    return httpx.post(f"{pki.url_prefix}/chungthuc/ocsp/interm", content=request.dump(),
                      headers={"Content-Type": "application/ocsp-request"}).content


def sign_carelessly(pdf: bytes, pki: DemoPki, signer) -> bytes:
    """A time-stamped leader signature, then its chain and OCSP answer (whatever it says) in a DSS."""
    out = BytesIO()
    signers.PdfSigner(
        signers.PdfSignatureMetadata(field_name="LanhDao", subfilter=fields.SigSeedSubFilter.PADES),
        signer=signer, timestamper=HTTPTimeStamper(pki.tsa_url()),
    ).sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf)), output=out)
    sig = PdfFileReader(BytesIO(out.getvalue())).embedded_regular_signatures[0]
    response = ocsp.OCSPResponse.load(ocsp_response(pki, signer.signing_cert))
    root_crl = crl.CertificateList.load(httpx.get(f"{pki.url_prefix}/chungthuc/crls/root/latest.crl").content)
    DocumentSecurityStore.add_dss(out, sig.pkcs7_content, certs=[pki.cert("interm"), pki.cert("ocsp")],
                                  ocsps=[response], crls=[root_crl])
    return out.getvalue()


def append_outside_timestamp(pdf: bytes, tsa_url: str) -> bytes:
    """What a bank's archive does with its own TSA: a document time-stamp, nothing else."""
    out = BytesIO()
    PdfTimeStamper(HTTPTimeStamper(tsa_url)).timestamp_pdf(
        IncrementalPdfFileWriter(BytesIO(pdf)), md_algorithm="sha256", output=out)
    return out.getvalue()
