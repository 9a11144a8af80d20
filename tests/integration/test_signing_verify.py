"""Verifier, register statuses, tampering, CLI and the rendered stamps of a sealed copy."""
from __future__ import annotations

import datetime as dt
import json
from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from fpdf import FPDF
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.stamp import TextStamp, TextStampStyle
from pypdf import PdfReader, PdfWriter

from app.signing.cli import verify_command
from app.signing.copy_pdf import ScanInput, StatementInput, build_copy_pdf
from app.signing.demo_ca import DemoCA
from app.signing.factory import signer_from_config
from app.signing.verify import verify_pdf
from app.signing.workflow import seal_as_office, sign_as_leader
from domain.signing.verification import RegisterInfo
from tests.support.signing import make_scan_jpeg

OFFICE = "UBND phường Hoàn Kiếm (demo)"
VERIFY_URL = "https://chungthuc.example.vn/verify/Xk3fQ9pLm2"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="module")
def ca(tmp_path_factory) -> DemoCA:
    ca = DemoCA(tmp_path_factory.mktemp("ca")).ensure()
    ca.issue_person("lanh", "Trần Văn Lãnh", "Chủ tịch UBND phường", OFFICE)
    ca.issue_office("hoan-kiem", OFFICE)
    return ca


@pytest.fixture(scope="module")
def leader_signed(ca) -> bytes:
    pdf = build_copy_pdf([ScanInput(make_scan_jpeg(1)), ScanInput(make_scan_jpeg(2))],
                         StatementInput("Nguyễn Thị Hường", "Bằng tốt nghiệp đại học", "Trường ĐH Bách khoa"))
    leader = signer_from_config({"kind": "demo", "key_id": "lanh"}, demo_ca=ca)
    return sign_as_leader(pdf, leader, name="Trần Văn Lãnh", title="Chủ tịch UBND phường", office_name=OFFICE)


@pytest.fixture(scope="module")
def sealed(ca, leader_signed) -> bytes:
    office = signer_from_config({"kind": "demo", "key_id": "hoan-kiem"}, demo_ca=ca)
    return seal_as_office(leader_signed, office, office_name=OFFICE, number_text="15/ĐT",
                          book="01/2025-SCTĐT/BS", date=dt.date(2025, 11, 27), verify_url=VERIFY_URL)


def register(sealed: bytes, **changes):
    import hashlib

    entry = RegisterInfo("15/ĐT", "01/2025-SCTĐT/BS", OFFICE, dt.datetime(2025, 11, 27, 3, 0, tzinfo=dt.UTC),
                         "Bằng tốt nghiệp đại học", 2, "Nguyễn Thị Hường")
    entry = RegisterInfo(**{**entry.__dict__, **changes})
    digest = hashlib.sha256(sealed).hexdigest()
    return lambda sha: entry if sha == digest else None


def flip_byte_in_first_page(pdf: bytes) -> bytes:
    pos = pdf.index(b"/Type /Page") if b"/Type /Page" in pdf else pdf.index(b"/Type/Page")
    data = bytearray(pdf)
    data[pos + 400] ^= 0x01
    return bytes(data)


def stamp_page_with_pypdf(pdf: bytes) -> bytes:
    overlay = FPDF(format="A4")
    overlay.add_page()
    overlay.set_font("helvetica", size=40)
    overlay.text(30, 100, "EDITED")
    writer = PdfWriter(BytesIO(pdf), incremental=True)
    writer.pages[0].merge_page(PdfReader(BytesIO(bytes(overlay.output()))).pages[0])
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def stamp_page_with_pyhanko(pdf: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    TextStamp(writer, TextStampStyle(stamp_text="ĐÃ SỬA %(ts)s")).apply(0, 50, 50)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_sealed_copy_in_register_is_valid(ca, sealed):
    result = verify_pdf(sealed, trust_roots=ca.trust_roots(), lookup=register(sealed)).to_dict()
    assert result["status"] == "valid" and result["valid"]
    assert (result["certification_number"], result["book"], result["office"]) == ("15/ĐT", "01/2025-SCTĐT/BS",
                                                                                  OFFICE)
    assert result["requester"] == "Nguyễn T. H."
    assert [(s["role"], s["signer"]) for s in result["signatures"]] == [("leader", "Trần Văn Lãnh"),
                                                                        ("office", OFFICE)]
    assert all(s["intact"] and s["trusted"] and s["modifications_ok"] for s in result["signatures"])
    assert result["signatures"][0]["signed_at"].endswith("+07:00")
    assert result["problems"] == []
    json.dumps(result)


def test_revoked_and_unknown_and_untrusted_copies(ca, sealed, tmp_path):
    revoked = register(sealed, revoked_at=dt.datetime(2025, 12, 1, tzinfo=dt.UTC), revoke_reason="Cấp nhầm")
    res = verify_pdf(sealed, trust_roots=ca.trust_roots(), lookup=revoked)
    assert res.status == "revoked" and not res.valid and "Bản sao đã bị thu hồi: Cấp nhầm." in res.problems

    res = verify_pdf(sealed, trust_roots=ca.trust_roots(), lookup=lambda sha: None)
    assert res.status == "not_found" and not res.valid

    other = DemoCA(tmp_path / "other").ensure()
    res = verify_pdf(sealed, trust_roots=other.trust_roots(), lookup=register(sealed))
    assert res.status == "untrusted" and not res.valid


def test_copy_signed_by_leader_only_is_not_valid_without_register(ca, leader_signed):
    res = verify_pdf(leader_signed, trust_roots=ca.trust_roots())
    assert res.status == "not_found" and not res.valid
    assert res.signatures[0].ok and res.signatures[0].covers_whole_file


@pytest.mark.parametrize("tamper", [flip_byte_in_first_page, stamp_page_with_pypdf, stamp_page_with_pyhanko])
def test_altered_copy_is_reported_altered(tamper, ca, sealed, tmp_path, capsys):
    altered = tamper(sealed)
    assert altered != sealed
    res = verify_pdf(altered, trust_roots=ca.trust_roots(), lookup=register(sealed))
    assert res.status == "altered" and not res.valid
    assert "Tệp đã bị thay đổi sau khi được cấp." in res.problems or not altered.startswith(sealed)
    if altered.startswith(sealed):  # an appended revision: the issued copy it came from is named
        assert all(s.intact and not s.modifications_ok for s in res.signatures)
        assert not res.signatures[-1].covers_whole_file
        assert res.register is not None and res.register.certification_number == "15/ĐT"

    path = tmp_path / "altered.pdf"
    path.write_bytes(altered)
    assert verify_command(str(path), as_json=True, lookup=register(sealed), trust_roots=ca.trust_roots()) == 1
    assert json.loads(capsys.readouterr().out)["status"] == "altered"


def test_cli_exit_codes_and_register_warning(ca, sealed, tmp_path, capsys):
    path = tmp_path / "copy.pdf"
    path.write_bytes(sealed)
    root = tmp_path / "root.pem"
    root.write_bytes(ca.root_cert_pem())

    assert verify_command(str(path), as_json=True, lookup=register(sealed), trust_roots=[str(root)]) == 0
    assert json.loads(capsys.readouterr().out)["certification_number"] == "15/ĐT"

    assert verify_command(str(path), as_json=False, trust_roots=[str(root)]) == 0
    text = capsys.readouterr().out
    assert "HỢP LỆ" in text and "Chưa đối chiếu sổ chứng thực" in text

    assert verify_command(str(path), as_json=True, lookup=lambda sha: None, trust_roots=[str(root)]) == 1
    capsys.readouterr()
    assert verify_command(str(path), as_json=True) == 1  # no trust roots given: untrusted
    assert json.loads(capsys.readouterr().out)["status"] == "untrusted"
    assert verify_command(str(tmp_path / "missing.pdf"), as_json=True) == 2


def test_stamps_render_with_diacritics_and_a_readable_qr(sealed):
    ARTIFACTS.mkdir(exist_ok=True)
    doc = pdfium.PdfDocument(sealed)
    try:
        doc.init_forms()
        last = len(doc) - 1
        image = doc[last].render(scale=200 / 72, may_draw_forms=True).to_pil()
        image.save(ARTIFACTS / "signing_statement_page.png")
        doc[last].flatten()  # bake the signature appearances into the page to read their text
        text = doc[last].get_textpage().get_text_range()  # flatten needs a freshly loaded page
    finally:
        doc.close()
    assert [b.text for b in zxingcpp.read_barcodes(image)] == [VERIFY_URL]
    for expected in ("Số chứng thực: 15/ĐT", "Quyển số: 01/2025-SCTĐT/BS", "Ngày 27 tháng 11 năm 2025",
                     "Ký bởi: Trần Văn Lãnh", "Chức vụ: Chủ tịch UBND phường", "Chứng thực bản sao đúng với bản chính",
                     "Người yêu cầu chứng thực: Nguyễn Thị Hường"):
        assert expected in text, expected
