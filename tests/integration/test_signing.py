"""Signing and sealing real copies with the demo PKI (Certomancer), a PKCS#12 file and a SoftHSM2 token."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from app.pki.demo_pki import DemoPki
from app.signing.copy_pdf import ScanInput, StatementInput, build_copy_pdf
from app.signing.factory import signer_from_config
from app.signing.signatures import seal_as_office, sign_as_leader
from app.signing.verify import verify_pdf
from tests.support.requirements import require
from tests.support.signing import (
    LocalTsa,
    create_softhsm_token,
    make_scan_jpeg,
    nss_db_trusting,
    pdfsig_report,
    softhsm_env,
    softhsm_module,
)

OFFICE = "UBND phường Hoàn Kiếm (demo)"
LEADER = "Trần Văn Lãnh"
TITLE = "Chủ tịch UBND phường"
VERIFY_URL = "https://chungthuc.example.vn/verify/Xk3fQ9pLm2"


@pytest.fixture(scope="module")
def ca(pki_services) -> DemoPki:
    ca = pki_services
    ca.issue_person("lanh", LEADER, TITLE, OFFICE)
    ca.issue_office("hoan-kiem", OFFICE)
    return ca


@pytest.fixture(scope="module")
def unsigned_copy() -> bytes:
    scans = [ScanInput(make_scan_jpeg(1)), ScanInput(make_scan_jpeg(2))]
    return build_copy_pdf(scans, StatementInput("Nguyễn Thị Hường", "Bằng tốt nghiệp đại học",
                                                "Trường Đại học Bách khoa Hà Nội", office_name=OFFICE))


@pytest.fixture(scope="module")
def token_configs(ca, tmp_path_factory) -> dict[str, dict]:
    if softhsm_module() is None:
        require("softhsm2")
    work = tmp_path_factory.mktemp("softhsm")
    with pytest.MonkeyPatch.context() as mp:
        for key, value in softhsm_env(work).items():
            mp.setenv(key, value)
        configs = {}
        for role, key_id in (("leader", "lanh"), ("office", "hoan-kiem")):
            token = create_softhsm_token(work, ca.p12_path(key_id), ca.p12_password(), label=f"CT-{role}")
            (work / f"{role}.pin").write_text(token.pin + "\n")
            configs[role] = {"kind": "pkcs11", "module": token.module, "token_label": token.token_label,
                             "key_label": token.key_label, "cert_label": token.key_label,
                             "pin_file": str(work / f"{role}.pin")}
        yield configs


def signer_configs(kind: str, ca: DemoPki, tmp_path: Path, token_configs=None) -> tuple[dict, dict]:
    if kind == "demo":
        return {"kind": "demo", "key_id": "lanh"}, {"kind": "demo", "key_id": "hoan-kiem"}
    if kind == "pkcs12":
        secret = tmp_path / "p12.secret"
        secret.write_bytes(ca.p12_password() + b"\n")
        return ({"kind": "pkcs12", "path": str(ca.p12_path("lanh")), "password_file": str(secret)},
                {"kind": "pkcs12", "path": str(ca.p12_path("hoan-kiem")),
                 "password": ca.p12_password().decode()})
    return token_configs["leader"], token_configs["office"]


def sign_and_seal(pdf: bytes, leader_cfg: dict, office_cfg: dict, ca: DemoPki, tsa_url=None,
                  long_term=True) -> tuple[bytes, bytes]:
    """B-LTA with the demo TSA by default (B-LT without a TSA); ``long_term=False``: B-B/B-T."""
    if long_term and tsa_url is None:
        tsa_url = ca.tsa_url()
    roots = (ca.root_cert_der(),) if long_term else ()
    leader = signer_from_config(leader_cfg, demo_pki=ca)
    office = signer_from_config(office_cfg, demo_pki=ca)
    assert leader.subject_name == LEADER and office.subject_name == OFFICE
    signed = sign_as_leader(pdf, leader, name=LEADER, title=TITLE, office_name=OFFICE, tsa_url=tsa_url,
                            trust_roots_der=roots)
    sealed = seal_as_office(signed, office, office_name=OFFICE, number_text="15/ĐT", book="01/2025-SCTĐT/BS",
                            date=dt.date(2025, 11, 27), verify_url=VERIFY_URL, tsa_url=tsa_url,
                            trust_roots_der=roots)
    return signed, sealed


def pyhanko_statuses(pdf: bytes, roots) -> dict:
    reader = PdfFileReader(BytesIO(pdf))
    return {sig.field_name: validate_pdf_signature(sig, ValidationContext(trust_roots=roots))
            for sig in reader.embedded_regular_signatures}


@pytest.mark.parametrize("kind", ["demo", "pkcs12", "pkcs11"])
def test_leader_and_office_signatures_are_intact_trusted_with_acceptable_modifications(
    kind, ca, unsigned_copy, tmp_path, request
):
    tokens = request.getfixturevalue("token_configs") if kind == "pkcs11" else None
    signed, sealed = sign_and_seal(unsigned_copy, *signer_configs(kind, ca, tmp_path, tokens), ca)

    assert sealed.startswith(signed), "the office signature must be an incremental revision"
    statuses = pyhanko_statuses(sealed, ca.trust_roots())
    assert set(statuses) == {"LanhDao", "CoQuan"}
    for status in statuses.values():
        assert status.intact and status.valid and status.trusted and status.bottom_line
        assert status.docmdp_ok
        assert status.signing_cert.subject.native["organization_name"] == OFFICE
    assert statuses["LanhDao"].coverage == SignatureCoverageLevel.ENTIRE_REVISION
    assert statuses["LanhDao"].modification_level == ModificationLevel.FORM_FILLING
    # only the DSS and the document time-stamp (B-LTA) follow the office signature
    assert statuses["CoQuan"].coverage == SignatureCoverageLevel.ENTIRE_REVISION
    assert statuses["CoQuan"].modification_level == ModificationLevel.LTA_UPDATES
    assert statuses["LanhDao"].signing_cert.subject.native["common_name"] == LEADER

    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed)
    report = pdfsig_report(path, nss_db_trusting(tmp_path, ca.root_cert_pem()))
    for field in ("LanhDao", "CoQuan"):
        assert report[field]["Signature Validation"] == "Signature is Valid."
        assert report[field]["Certificate Validation"] == "Certificate is Trusted."
        assert report[field]["Signature Type"] == "ETSI.CAdES.detached"
    assert report["LanhDao"]["coverage"] == "Not total document signed"

    result = verify_pdf(sealed, trust_roots=ca.trust_roots())
    assert [(s.role.value, s.signer) for s in result.signatures] == [("leader", LEADER), ("office", OFFICE)]
    assert result.valid and result.level == "B-LTA"


def test_pdfsig_rejects_signatures_from_an_untrusted_root(ca, unsigned_copy, tmp_path):
    _, sealed = sign_and_seal(unsigned_copy, *signer_configs("demo", ca, tmp_path), ca)
    other_ca = DemoPki(tmp_path / "other").ensure("http://127.0.0.1:9")
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed)
    report = pdfsig_report(path, nss_db_trusting(tmp_path, other_ca.root_cert_pem()))
    assert report["CoQuan"]["Signature Validation"] == "Signature is Valid."
    assert report["CoQuan"]["Certificate Validation"] != "Certificate is Trusted."


def test_a_time_stamp_from_an_untrusted_tsa_is_said_plainly(ca, unsigned_copy, tmp_path):
    tsa = LocalTsa()  # its own root, not trusted by the verifier
    try:
        _, sealed = sign_and_seal(unsigned_copy, *signer_configs("demo", ca, tmp_path), ca, tsa_url=tsa.url,
                                  long_term=False)
    finally:
        tsa.close()
    result = verify_pdf(sealed, trust_roots=ca.trust_roots())
    assert not result.valid
    assert all(s.timestamped and s.timestamp_trusted is False for s in result.signatures)
    assert any(
        "dấu thời gian không do đơn vị cấp dấu thời gian được tin cậy cấp" in p for p in result.problems
    )


def test_the_office_signature_locks_the_document_and_every_field(ca, unsigned_copy, tmp_path):
    """Read from the sealed file: the office field's /Lock (every field, /P 1: no change but DSS and
    document time-stamps) and the leader's certification (/P 2: form filling and signing only)."""
    from pyhanko.sign.fields import FieldMDPAction, MDPPerm

    _, sealed = sign_and_seal(unsigned_copy, *signer_configs("demo", ca, tmp_path), ca, long_term=False)
    sigs = {sig.field_name: sig for sig in PdfFileReader(BytesIO(sealed)).embedded_regular_signatures}
    office, leader = sigs["CoQuan"], sigs["LanhDao"]
    lock = office.sig_field["/Lock"]
    assert int(lock["/P"]) == 1 and office.docmdp_level == MDPPerm.NO_CHANGES
    assert lock["/Action"] == "/All" and office.fieldmdp.action == FieldMDPAction.ALL
    assert leader.docmdp_level == MDPPerm.FILL_FORMS
