"""Remote signing through a real CSC API server (certomancer-csc-dummy over the demo PKI, on 127.0.0.1):
the copies validate like file- or token-signed ones; each provider failure is a Vietnamese message."""
from __future__ import annotations

import datetime as dt

import pytest

from app.pki.demo_csc import credential_id, demo_client_secret_file
from app.signing.copy_pdf import ScanInput, StatementInput, build_copy_pdf
from app.signing.csc import CscSigner
from app.signing.csc_errors import RemoteSigningError
from app.signing.remote_signing import client_from_config
from app.signing.signatures import seal_as_office, sign_as_leader
from app.signing.verify import verify_pdf
from tests.integration.test_signing import LEADER, OFFICE, TITLE, VERIFY_URL, pyhanko_statuses
from tests.support.signing import make_scan_jpeg, nss_db_trusting, pdfsig_report


@pytest.fixture(scope="module")
def ca(pki_services):
    pki_services.issue_person("lanh", LEADER, TITLE, OFFICE)
    pki_services.issue_office("hoan-kiem", OFFICE)
    return pki_services


@pytest.fixture(scope="module")
def unsigned_copy() -> bytes:
    return build_copy_pdf(
        [ScanInput(make_scan_jpeg(1))],
        StatementInput(
            "Nguyễn Thị Hường", "Bằng tốt nghiệp", "Trường Đại học Bách khoa Hà Nội", office_name=OFFICE
        ),
    )


def csc_config(ca, csc_service, key_id: str, **extra) -> dict:
    return {"kind": "csc", "service_url": csc_service.url, "credential_id": credential_id(key_id),
            "client_id": "chungthuc-demo", "client_secret_file": str(demo_client_secret_file(ca)), **extra}


def remote_signer(cfg: dict, count: int, pin: str = "123456") -> CscSigner:
    client = client_from_config(cfg)
    credential = client.credential()
    return CscSigner(client, credential, client.authorize(count, pin=pin))


def test_remote_leader_signature_and_office_seal_validate_in_pyhanko_and_pdfsig(
        ca, csc_service, unsigned_copy, tmp_path):
    leader = remote_signer(csc_config(ca, csc_service, "lanh"), 1)
    office = remote_signer(csc_config(ca, csc_service, "hoan-kiem"), 1)
    assert leader.subject_name == LEADER and office.subject_name == OFFICE
    roots = (ca.root_cert_der(),)
    signed = sign_as_leader(unsigned_copy, leader, name=LEADER, title=TITLE, office_name=OFFICE,
                            tsa_url=ca.tsa_url(), trust_roots_der=roots)
    sealed = seal_as_office(signed, office, office_name=OFFICE, number_text="16/ĐT", book="01/2025-SCTĐT/BS",
                            date=dt.date(2025, 11, 27), verify_url=VERIFY_URL, tsa_url=ca.tsa_url(),
                            trust_roots_der=roots)

    statuses = pyhanko_statuses(sealed, ca.trust_roots())
    assert set(statuses) == {"LanhDao", "CoQuan"}
    assert all(s.intact and s.valid and s.trusted and s.bottom_line for s in statuses.values())
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed)
    report = pdfsig_report(path, nss_db_trusting(tmp_path, ca.root_cert_pem()))
    for field in ("LanhDao", "CoQuan"):
        assert report[field]["Signature Validation"] == "Signature is Valid."
        assert report[field]["Certificate Validation"] == "Certificate is Trusted."
    result = verify_pdf(sealed, trust_roots=ca.trust_roots())
    assert result.valid and result.level == "B-LTA"
    assert [s.signer for s in result.signatures] == [LEADER, OFFICE]


def test_one_approval_covers_a_batch_and_no_more(ca, csc_service, unsigned_copy):
    signer = remote_signer(csc_config(ca, csc_service, "lanh"), 2)
    for _ in range(2):
        sign_as_leader(unsigned_copy, signer, name=LEADER, title=TITLE, office_name=OFFICE)
    with pytest.raises(RemoteSigningError) as caught:
        sign_as_leader(unsigned_copy, signer, name=LEADER, title=TITLE, office_name=OFFICE)
    assert caught.value.kind == "expired"
    assert "hết hạn" in caught.value.message


def test_the_provider_also_refuses_a_signature_beyond_the_approved_count(ca, csc_service, unsigned_copy):
    signer = remote_signer(csc_config(ca, csc_service, "lanh"), 1)
    signer.pyhanko_signer._auth.remaining = 5  # a client that miscounts: the provider still says no
    sign_as_leader(unsigned_copy, signer, name=LEADER, title=TITLE, office_name=OFFICE)
    with pytest.raises(RemoteSigningError) as caught:
        sign_as_leader(unsigned_copy, signer, name=LEADER, title=TITLE, office_name=OFFICE)
    assert caught.value.kind == "expired"


def test_wrong_pin_is_said_in_vietnamese(ca, csc_service):
    with pytest.raises(RemoteSigningError) as caught:
        remote_signer(csc_config(ca, csc_service, "lanh"), 1, pin="000000")
    assert caught.value.kind == "wrong_pin"
    assert caught.value.message.startswith("Mã PIN/OTP không đúng")


def test_disabled_credential_and_cancelled_approval_are_told_apart(ca, csc_service):
    cred = credential_id("lanh")
    try:
        csc_service.policy.disabled.add(cred)
        with pytest.raises(RemoteSigningError) as disabled:
            remote_signer(csc_config(ca, csc_service, "lanh"), 1)
        csc_service.policy.disabled.discard(cred)
        csc_service.policy.cancelled.add(cred)
        with pytest.raises(RemoteSigningError) as cancelled:
            remote_signer(csc_config(ca, csc_service, "lanh"), 1)
    finally:
        csc_service.policy.disabled.discard(cred)
        csc_service.policy.cancelled.discard(cred)
    assert disabled.value.kind == "disabled" and "bị khóa" in disabled.value.message
    assert cancelled.value.kind == "cancelled" and "bị hủy" in cancelled.value.message


def test_wrong_client_secret_is_an_administrator_problem(ca, csc_service, tmp_path):
    bad = tmp_path / "secret"
    bad.write_text("not-the-secret")
    with pytest.raises(RemoteSigningError) as caught:
        remote_signer(csc_config(ca, csc_service, "lanh", client_secret_file=str(bad)), 1)
    assert caught.value.kind == "unauthorized"


def test_provider_time_out_and_unreachable_provider(ca, csc_service):
    csc_service.policy.approval_delay = 2.0
    try:
        with pytest.raises(RemoteSigningError) as slow:
            remote_signer(csc_config(ca, csc_service, "lanh", authorize_timeout=0.5), 1)
    finally:
        csc_service.policy.approval_delay = 0.0
    assert slow.value.kind == "timeout" and "quá thời gian chờ" in slow.value.message
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = dict(csc_config(ca, csc_service, "lanh"), service_url=f"http://127.0.0.1:{port}")
    with pytest.raises(RemoteSigningError) as down:
        remote_signer(cfg, 1)
    assert down.value.kind == "unreachable" and "Không kết nối được" in down.value.message
