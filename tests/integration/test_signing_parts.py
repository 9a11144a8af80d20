"""Demo PKI, signer factory, the unsigned copy's layout, and the domain helpers for signing."""
from __future__ import annotations

import datetime as dt
from io import BytesIO

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from fpdf import FPDF
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields

from app.pki.demo_pki import DemoPki
from app.signing.copy_pdf import ScanInput, StatementInput, build_copy_pdf
from app.signing.factory import SignerConfigError, signer_from_config
from domain.ports import Signer
from domain.signing.names import shorten_name
from domain.signing.statement import DEFAULT_STATEMENT_TEMPLATE, format_sealing_lines, split_statement
from tests.support.signing import make_scan_jpeg

OFFICE = "UBND phường Hoàn Kiếm (demo)"
PT_PER_MM = 72 / 25.4


def test_demo_pki_is_idempotent_and_issues_certificates_like_a_vietnamese_ca(pki_services):
    ca = pki_services
    root = ca.root_cert_pem()
    person = ca.issue_person(
        "parts-lanh", "Trần Văn Lãnh", "Chủ tịch UBND phường", OFFICE, person_id="001099012345"
    )
    person_bytes = person.read_bytes()

    again = DemoPki(ca.dir).ensure("http://ignored")  # an existing PKI keeps its address and keys
    assert again.url_prefix == ca.url_prefix and again.root_cert_pem() == root
    assert (
        again.issue_person("parts-lanh", "Trần Văn Lãnh", "Chủ tịch UBND phường", OFFICE).read_bytes()
        == person_bytes
    )
    assert root.startswith(b"-----BEGIN CERTIFICATE-----")
    assert x509.load_der_x509_certificate(ca.root_cert_der()) == x509.load_pem_x509_certificate(root)

    from cryptography.hazmat.primitives.serialization import pkcs12

    key, cert, chain = pkcs12.load_key_and_certificates(person_bytes, ca.p12_password())
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Trần Văn Lãnh"
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == OFFICE
    assert cert.subject.get_attributes_for_oid(NameOID.TITLE)[0].value == "Chủ tịch UBND phường"
    assert cert.subject.get_attributes_for_oid(NameOID.USER_ID)[0].value == "CCCD:001099012345"
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    policies = cert.extensions.get_extension_for_class(x509.CertificatePolicies).value
    assert [p.policy_identifier.dotted_string for p in policies] == ["2.16.704.1.99.1.1"]
    [crl_dp] = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert crl_dp.full_name[0].value == f"{ca.url_prefix}/chungthuc/crls/interm/latest.crl"
    aia = {d.access_method._name: d.access_location.value
           for d in cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value}
    assert aia == {"OCSP": f"{ca.url_prefix}/chungthuc/ocsp/interm",
                   "caIssuers": f"{ca.url_prefix}/chungthuc/certs/interm/ca.crt"}
    intermediate, root_cert = chain
    cert.verify_directly_issued_by(intermediate)
    intermediate.verify_directly_issued_by(root_cert)
    assert root_cert == x509.load_pem_x509_certificate(root)

    office = ca.issue_office("parts-office", OFFICE, org_id="HN-0101")
    _, office_cert, _ = pkcs12.load_key_and_certificates(office.read_bytes(), ca.p12_password())
    assert office_cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == OFFICE
    assert (
        office_cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)[0].value
        == "NTRVN-HN-0101"
    )
    with pytest.raises(ValueError):
        ca.issue_office("../escape", OFFICE)


def test_demo_pki_services_publish_crls_ocsp_and_time_stamps(pki_services):
    import httpx
    from asn1crypto import crl as asn1_crl

    url = pki_services.url_prefix
    crl = asn1_crl.CertificateList.load(httpx.get(f"{url}/chungthuc/crls/interm/latest.crl").content)
    assert crl.issuer == pki_services.cert("interm").subject
    assert httpx.get(f"{url}/chungthuc/certs/interm/ca.crt").content == pki_services.cert("interm").dump()
    assert httpx.post(pki_services.tsa_url(), content=b"junk").status_code >= 400  # a real RFC 3161 endpoint


def test_signer_factory_builds_adapters_and_rejects_bad_configs(pki_services):
    ca = pki_services
    ca.issue_office("parts-office", OFFICE)
    signer = signer_from_config({"kind": "demo", "key_id": "parts-office"}, demo_pki=ca)
    assert isinstance(signer, Signer) and signer.subject_name == OFFICE
    with pytest.raises(SignerConfigError):
        signer_from_config({"kind": "demo", "key_id": "never-issued"}, demo_pki=ca)
    with pytest.raises(SignerConfigError):
        signer_from_config({"kind": "demo", "key_id": "parts-office"})
    with pytest.raises(SignerConfigError):
        signer_from_config({"kind": "smartcard"})
    with pytest.raises(SignerConfigError):
        signer_from_config({"kind": "pkcs11", "module": "/x.so", "token_label": "t", "key_label": "k"})
    with pytest.raises(ValueError):
        signer_from_config({"kind": "pkcs12", "path": str(ca.p12_path("parts-office")), "password": "wrong"})


def image_boxes_pt(page) -> list[tuple[float, float]]:
    boxes = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        left, bottom, right, top = obj.get_bounds()
        boxes.append((right - left, top - bottom))
    return boxes


def test_copy_places_scans_at_true_size_rotated_then_statement_page_with_empty_fields():
    small = BytesIO()
    Image.new("RGB", (1200, 600), "white").save(small, "PNG", dpi=(300, 300))  # 101.6 x 50.8 mm
    scan_pdf = FPDF(format=(148, 210))
    for _ in range(2):
        scan_pdf.add_page()
    scans = [
        ScanInput(make_scan_jpeg(1)),                 # A4 at 300 dpi: larger than the printable area
        ScanInput(small.getvalue(), rotation=90),
        ScanInput(bytes(scan_pdf.output()), page_rotations=(0, 180)),
    ]
    pdf = build_copy_pdf(scans, StatementInput("Nguyễn Văn An", "Giấy khai sinh", "UBND xã Đông Anh"))

    doc = pdfium.PdfDocument(pdf)
    try:
        assert len(doc) == 5
        (w0, h0), = image_boxes_pt(doc[0])
        # 210 x 297 mm shrunk to the 180 x 267 mm inside the margins, aspect kept
        assert (w0, h0) == (
            pytest.approx(180 * PT_PER_MM, abs=0.5),
            pytest.approx(297 * 180 / 210 * PT_PER_MM, abs=0.5),
        )
        (w1, h1), = image_boxes_pt(doc[1])
        assert (w1, h1) == (
            pytest.approx(101.6 * PT_PER_MM, abs=0.5),
            pytest.approx(50.8 * PT_PER_MM, abs=0.5),
        )
        assert [doc[i].get_rotation() for i in range(5)] == [0, 90, 0, 180, 0]
        assert doc[2].get_size() == pytest.approx((148 * PT_PER_MM, 210 * PT_PER_MM), abs=1)  # copied as is
        statement_text = doc[4].get_textpage().get_text_range()
    finally:
        doc.close()
    assert "Chứng thực bản sao đúng với bản chính." in statement_text
    assert "Người yêu cầu chứng thực: Nguyễn Văn An" in statement_text
    assert "Số trang bản chính: 4" in statement_text
    assert "{number}" not in statement_text and "Số chứng thực:" not in statement_text
    assert "Quyển số" not in statement_text  # the number line lives in the office stamp

    fields = {name: (value, ref) for name, value, ref in enumerate_sig_fields(PdfFileReader(BytesIO(pdf)))}
    assert set(fields) == {"LanhDao", "CoQuan"}
    assert all(value is None for value, _ in fields.values())  # empty until signed


def test_statement_template_is_split_between_page_and_office_stamp():
    parts = split_statement(DEFAULT_STATEMENT_TEMPLATE)
    assert parts.before == ("Chứng thực bản sao đúng với bản chính.",)
    assert parts.signer_caption == ("Người thực hiện chứng thực", "(Ký, ghi rõ họ tên và đóng dấu)")
    assert format_sealing_lines(DEFAULT_STATEMENT_TEMPLATE, number_text="7/ĐT", book="01/2026-SCTĐT/BS",
                                on=dt.date(2026, 1, 5)) == (
        "Số chứng thực: 7/ĐT   Quyển số: 01/2026-SCTĐT/BS", "Ngày 05 tháng 01 năm 2026")


@pytest.mark.parametrize(("full", "short"), [
    ("Nguyễn Văn An", "Nguyễn V. A."), ("Lê Thị Ánh Tuyết", "Lê T. Á. T."), ("  Trần  Bình ", "Trần B."),
    ("Đức", "Đức"),
])
def test_shorten_name(full, short):
    assert shorten_name(full) == short
