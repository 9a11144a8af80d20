"""Real tesseract and zxing-cpp on generated cards (tests/support/cards.py)."""
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from app.idcard import TesseractIdCardReader
from domain.idcard import IdCardReadError
from tests.support.cards import (
    card_dates,
    make_card,
    make_id_scan_docx,
    make_id_scan_pdf,
    random_person,
    to_bytes,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def reader():
    return TesseractIdCardReader()


def jpg(person, model, side, variant="straight", seed=1):
    return (f"{side}.jpg", to_bytes(make_card(person, model, side, variant, seed), "JPEG", quality=92))


def test_2021_both_sides_every_field_with_sources(reader):
    p = random_person(11)
    data = reader.read([jpg(p, "2021", "front"), jpg(p, "2021", "back")])
    assert data.id_number == p["id_number"] and data.sources["id_number"] == "qr"
    assert data.full_name.upper() == p["full_name"]
    assert (data.date_of_birth, data.sex) == (p["date_of_birth"], p["sex"])
    assert data.place_of_residence == p["place_of_residence"]
    assert data.issue_date == p["issue_date"] and data.sources["issue_date"] == "qr"
    assert data.expiry_date == p["expiry_date"] and data.sources["expiry_date"] == "mrz"
    assert data.nationality == "Việt Nam"
    assert data.place_of_origin == p["place_of_origin"] and data.sources["place_of_origin"] == "ocr"
    assert data.card_model == "2021"


def test_2024_card_takes_residence_and_dates_from_the_back(reader):
    p = random_person(12)
    issue, expiry = card_dates(p, "2024")
    data = reader.read([jpg(p, "2024", "front"), jpg(p, "2024", "back")])
    assert data.id_number == p["id_number"] and data.full_name.upper() == p["full_name"]
    assert (data.issue_date, data.expiry_date) == (issue, expiry)
    assert data.place_of_birth == p["place_of_birth"] and data.card_model == "2024"


@pytest.mark.parametrize("variant", ["rotated", "perspective", "blur", "jpeg50", "lowres", "glare"])
def test_front_variants_read_through_the_qr(reader, variant):
    p = random_person(20)
    data = reader.read([jpg(p, "2021", "front", variant, seed=4)])
    assert data.id_number == p["id_number"] and data.sources["id_number"] == "qr"
    assert data.date_of_birth == p["date_of_birth"]


@pytest.mark.parametrize("variant", ["straight", "rotated", "lowres"])
def test_covered_qr_falls_back_to_printed_text(reader, variant):
    p = random_person(21)
    data = reader.read([jpg(p, "2021", "front", "qr_covered" if variant == "straight" else variant, seed=2)]
                       if variant == "straight" else [_covered(p, variant)])
    assert data.sources["id_number"] == "ocr"
    assert data.id_number == p["id_number"]
    assert data.full_name.upper() == p["full_name"]
    assert data.date_of_birth == p["date_of_birth"] and data.expiry_date == p["expiry_date"]


def _covered(p, variant):
    """QR covered, then degraded: draw on the straight card and rotate/shrink it ourselves."""
    img = make_card(p, "2021", "front", "qr_covered")
    if variant == "rotated":
        img = img.rotate(-6, expand=True, fillcolor=(96, 92, 88), resample=Image.BICUBIC)
    else:
        img = img.resize((img.width * 600 // 1012, img.height * 600 // 1012), Image.LANCZOS)
    return ("front.jpg", to_bytes(img, "JPEG", quality=90))


def test_back_side_alone_reads_the_mrz(reader):
    p = random_person(22)
    data = reader.read([jpg(p, "2021", "back", "rotated", seed=5)])
    assert data.sources["id_number"] == "mrz" and data.id_number == p["id_number"]
    assert (data.date_of_birth, data.sex, data.expiry_date) == (
        p["date_of_birth"],
        p["sex"],
        p["expiry_date"],
    )


def test_pdf_and_docx_with_both_sides(reader):
    p = random_person(23)
    for data in (reader.read([("scan.pdf", make_id_scan_pdf(p))]),
                 reader.read([("scan.docx", make_id_scan_docx(p, "2024"))])):
        assert data.id_number == p["id_number"] and data.expiry_date is not None


def _zip(members: dict[str, bytes], compress=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compress) as z:
        for name, blob in members.items():
            z.writestr(name, blob)
    return buf.getvalue()


def _bomb_png() -> bytes:
    buf = io.BytesIO()
    Image.new("1", (9000, 9000)).save(buf, "PNG")  # 81 megapixels, tiny file
    return buf.getvalue()


def _encrypted_pdf() -> bytes:
    from pypdf import PdfWriter
    w = PdfWriter()
    w.add_blank_page(200, 200)
    w.encrypt("secret")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


BAD_INPUTS = {
    "empty": (b"", "rỗng"),
    "text": (b"hello, not an image", "không phải ảnh"),
    "bomb": (_bomb_png(), "quá lớn"),
    "blank image": (to_bytes(Image.new("RGB", (800, 500), "white")), "Không tìm thấy thẻ"),
    "tiny image": (to_bytes(Image.new("RGB", (1, 1), "white")), "quá nhỏ"),
    "sliver": (to_bytes(Image.new("RGB", (3000, 20), "gray")), "quá nhỏ"),
    "broken pdf": (b"%PDF-1.7\n1 0 obj garbage", "bị hỏng"),
    "encrypted pdf": (_encrypted_pdf(), "mật khẩu"),
    "docx without image": (_zip({"word/document.xml": b"<w:document/>"}), "không chứa ảnh"),
    "docx zip bomb": (_zip({"word/document.xml": b"<x/>", "word/media/image1.png": b"\0" * 50_000_000}),
                      "bom nén"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_gives_a_vietnamese_message(reader, case):
    blob, expected = BAD_INPUTS[case]
    with pytest.raises(IdCardReadError) as err:
        reader.read([("input.bin", blob)])
    assert expected in err.value.message


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "app.idcard.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


def test_cli_prints_json_and_exits_zero(tmp_path):
    p = random_person(24)
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_id_scan_pdf(p))
    done = _cli(str(path), "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["id_number"] == p["id_number"]
    assert out["date_of_birth"] == p["date_of_birth"].isoformat()
    assert out["sources"]["id_number"] == "qr" and isinstance(out["warnings"], list)


def test_cli_refuses_a_file_without_a_card(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("không phải ảnh")
    done = _cli(str(path), "--json")
    assert done.returncode != 0 and "không phải ảnh" in done.stderr and done.stdout == ""
