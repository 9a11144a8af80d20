"""Verifier, register statuses, tampering, long-term data added by others, CLI, the rendered stamps."""
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
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.stamp import TextStamp, TextStampStyle
from pypdf import PdfReader, PdfWriter

from app.pki.demo_pki import DemoPki
from app.signing.cli import verify_command
from app.signing.verify import verify_pdf
from tests.support.ltv import (
    CODE,
    OFFICE,
    VERIFY_URL,
    append_foreign_signature,
    augment_like_a_bank,
    issue_copy,
    register_lookup,
    unsigned_copy,
)

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="module")
def issued(pki_services) -> tuple[bytes, bytes]:
    return issue_copy(pki_services, unsigned_copy())


@pytest.fixture(scope="module")
def leader_signed(issued) -> bytes:
    return issued[0]


@pytest.fixture(scope="module")
def sealed(issued) -> bytes:
    return issued[1]


@pytest.fixture(scope="module")
def ca(pki_services) -> DemoPki:
    return pki_services


def register(sealed: bytes, **changes):
    return register_lookup(sealed, **changes)


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


def add_page_with_pypdf(pdf: bytes) -> bytes:
    writer = PdfWriter(BytesIO(pdf), incremental=True)
    writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def replace_office_stamp(pdf: bytes) -> bytes:
    """A new appearance for the office's signature widget (another number) in a new revision."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.writer import init_xobject_dictionary

    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    for ref in writer.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if field.get("/T") == "CoQuan":
            fake = init_xobject_dictionary(b"BT /F1 12 Tf 10 10 Td (So chung thuc: 99/DT) Tj ET", 200, 50)
            field["/AP"] = generic.DictionaryObject({generic.NameObject("/N"): writer.add_object(fake)})
            writer.update_container(field)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def stamp_page_with_pyhanko(pdf: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    TextStamp(writer, TextStampStyle(stamp_text="ĐÃ SỬA %(ts)s")).apply(0, 50, 50)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_sealed_copy_in_register_is_valid_at_b_lta(ca, sealed):
    result = verify_pdf(sealed, trust_roots=ca.trust_roots(), lookup=register(sealed)).to_dict()
    assert result["status"] == "valid" and result["valid"] and result["level"] == "B-LTA"
    assert (result["certification_number"], result["book"], result["office"]) == ("15/ĐT", "01/2025-SCTĐT/BS",
                                                                                  OFFICE)
    assert result["requester"] == "Nguyễn T. H."
    assert [(s["role"], s["signer"]) for s in result["signatures"]] == [("leader", "Trần Văn Lãnh"),
                                                                        ("office", OFFICE)]
    assert all(s["intact"] and s["trusted"] and s["modifications_ok"] and s["timestamped"]
               for s in result["signatures"])
    assert result["signatures"][0]["signed_at"].endswith("+07:00")
    assert result["problems"] == [] and result["notes"] == []
    json.dumps(result)


def test_each_signature_of_an_issued_copy_has_a_trusted_time_stamp_and_later_long_term_data(ca, sealed):
    """What the verdict page reads of each signature (issue 30): its time-stamp is trusted, the file goes on
    after it (long-term data), and nothing says it was signed after its certificate ended."""
    res = verify_pdf(sealed, trust_roots=ca.trust_roots(), lookup=register(sealed))
    assert [(s.timestamped, s.timestamp_trusted, s.covers_whole_file, s.expired_without_proof, s.revoked,
             s.cert_expired_at) for s in res.signatures] == [(True, True, False, False, False, None)] * 2


def test_copy_augmented_by_an_outside_tool_still_matches_its_register_entry(ca, sealed):
    augmented = augment_like_a_bank(sealed, ca)
    assert augmented.startswith(sealed)
    res = verify_pdf(augmented, trust_roots=ca.trust_roots(), lookup=register(sealed))
    assert res.valid and res.register is not None and res.register.certification_number == "15/ĐT"
    assert any("đã bổ sung dữ liệu xác thực dài hạn" in n for n in res.notes)
    assert res.level == "B-LTA"


def test_a_foreign_signature_appended_makes_the_copy_altered(ca, sealed):
    tampered = append_foreign_signature(sealed, ca)
    res = verify_pdf(tampered, trust_roots=ca.trust_roots(), lookup=register(sealed))
    assert res.status == "altered" and not res.valid
    assert [s.role.value for s in res.signatures] == ["leader", "office", "foreign"]
    assert any("chữ ký lạ" in p for p in res.problems)
    assert any("sau chữ ký số của cơ quan" in p and "phiên bản thứ" in p for p in res.problems)


def test_revoked_and_unknown_and_untrusted_copies(ca, sealed, tmp_path):
    revoked = register(sealed, revoked_at=dt.datetime(2025, 12, 1, tzinfo=dt.UTC), revoke_reason="Cấp nhầm")
    res = verify_pdf(sealed, trust_roots=ca.trust_roots(), lookup=revoked)
    assert res.status == "revoked" and not res.valid and "Bản sao đã bị thu hồi: Cấp nhầm." in res.problems

    res = verify_pdf(sealed, trust_roots=ca.trust_roots(), lookup=lambda sha: None)
    assert res.status == "not_found" and not res.valid

    other = DemoPki(tmp_path / "other").ensure("http://127.0.0.1:9")
    res = verify_pdf(sealed, trust_roots=other.trust_roots(), lookup=register(sealed))
    assert res.status == "untrusted" and not res.valid


def test_copy_signed_by_leader_only_says_the_office_signature_is_missing(ca, leader_signed):
    res = verify_pdf(leader_signed, trust_roots=ca.trust_roots())
    assert res.status == "not_found" and not res.valid
    assert res.signatures[0].ok
    assert any("thiếu chữ ký số của cơ quan" in p for p in res.problems)
    res = verify_pdf(leader_signed, trust_roots=ca.trust_roots(), lookup=lambda sha: None)
    assert any("thiếu chữ ký số của cơ quan" in p for p in res.problems)


def test_truncated_file_asks_for_the_file_the_holder_received(ca, sealed):
    res = verify_pdf(sealed[: len(sealed) // 2], trust_roots=ca.trust_roots(), lookup=register(sealed))
    assert res.status == "altered" and not res.valid
    assert any("cắt cụt" in p and "gửi đúng tệp PDF họ đã nhận" in p for p in res.problems)
    assert not any("quét" in p for p in res.problems)


@pytest.mark.parametrize("tamper", [flip_byte_in_first_page, stamp_page_with_pypdf, stamp_page_with_pyhanko,
                                    add_page_with_pypdf, replace_office_stamp])
def test_altered_copy_is_reported_altered(tamper, ca, sealed, tmp_path, capsys):
    altered = tamper(sealed)
    assert altered != sealed
    res = verify_pdf(altered, trust_roots=ca.trust_roots(), lookup=register(sealed))
    assert res.status == "altered" and not res.valid
    # only what is true of it: nothing about time-stamp authorities or trust it did not lose
    assert not any("dấu thời gian" in p or "không được tin cậy" in p for p in res.problems), res.problems
    if altered.startswith(sealed):  # an appended revision: the issued copy it came from is named
        assert all(s.intact for s in res.signatures) and not res.signatures[-1].modifications_ok
        assert res.register is not None and res.register.certification_number == "15/ĐT"
        assert any("sau chữ ký số của cơ quan" in p and "phiên bản thứ" in p for p in res.problems)

    path = tmp_path / "altered.pdf"
    path.write_bytes(altered)
    assert verify_command(str(path), as_json=True, lookup=register(sealed), trust_roots=ca.trust_roots()) == 1
    assert json.loads(capsys.readouterr().out)["status"] == "altered"


def test_an_addition_after_the_seal_is_dated_from_the_revision_after_the_office_signature(ca, sealed):
    """The words name the first revision after the one the register knows as sealed (issue 30)."""
    office = PdfFileReader(BytesIO(sealed)).embedded_regular_signatures[-1]
    after = office.signed_revision + 2  # pyHanko counts revisions from 0, the words from 1
    res = verify_pdf(add_page_with_pypdf(sealed), trust_roots=ca.trust_roots(), lookup=register(sealed))
    assert res.altered_at_revision == after
    assert f"phần thêm vào từ phiên bản thứ {after} của tệp" in " ".join(res.problems)


def test_a_signature_the_validator_cannot_read_is_a_broken_foreign_one(ca, sealed, monkeypatch):
    """pyHanko raising on a malformed signature (issue 30): the copy is not valid, the signature is shown
    as a stranger's, broken, at its own revision; the others are judged as usual."""
    import app.signing.verify as verifier

    judge = verifier._validate

    async def raising_on_the_seal(sig, *args):
        if sig.field_name == "CoQuan":
            raise ValueError("malformed signature")
        return await judge(sig, *args)

    monkeypatch.setattr(verifier, "_validate", raising_on_the_seal)
    office = PdfFileReader(BytesIO(sealed)).embedded_regular_signatures[-1]
    res = verify_pdf(sealed, trust_roots=ca.trust_roots(), lookup=register(sealed))
    assert not res.valid and res.signatures[0].ok
    broken = res.signatures[-1]
    assert (broken.signer, broken.role.value, broken.field_name, broken.revision) == (
        "?", "foreign", "CoQuan", office.signed_revision + 1)
    assert (broken.intact, broken.trusted, broken.modifications_ok, broken.covers_whole_file) == (
        False, False, False, False)


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
    for expected in (
        "Số chứng thực: 15/ĐT",
        "Quyển số: 01/2025-SCTĐT/BS",
        "Ngày 27 tháng 11 năm 2025",
        "Ký bởi: Trần Văn Lãnh",
        "Chức vụ: Chủ tịch UBND phường",
        "Chứng thực bản sao đúng với bản chính",
        "Người yêu cầu chứng thực: Nguyễn Thị Hường",
        f"Mã tra cứu: {CODE}",
    ):
        assert expected in text, expected
