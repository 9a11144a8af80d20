"""Upload checks (SPEC A8) with real bad files: too large, renamed, empty, encrypted, broken."""
import io
import zipfile

import pytest
from PIL import Image
from pypdf import PdfWriter

from app.intake.uploads import UploadRejected, accept_attribute, check_size, check_upload
from tests.support.hostile_files import docx_with_one_macro_marker

MB = 1024 * 1024
ID_SCAN = {"pdf", "docx", "doc", "jpeg", "png"}


def pdf_bytes(pages: int = 1, password: str | None = None, padding: int = 0) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if padding:
        writer.add_metadata({"/Padding": "x" * padding})
    if password:
        writer.encrypt(password)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buf, "PNG")
    return buf.getvalue()


def jpeg_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buf, "JPEG")
    return buf.getvalue()


def docx_bytes() -> bytes:
    from docx import Document
    buf = io.BytesIO()
    Document().save(buf)
    return buf.getvalue()


def test_good_files_of_each_kind_pass():
    assert check_upload(pdf_bytes(2), "cccd.pdf", ID_SCAN, 5 * MB) == "pdf"
    assert check_upload(png_bytes(), "IMG_0001.PNG", ID_SCAN, 5 * MB) == "png"
    assert check_upload(jpeg_bytes(), "anh.jpeg", ID_SCAN, 5 * MB) == "jpeg"
    assert check_upload(docx_bytes(), "cccd.docx", ID_SCAN, 5 * MB) == "docx"
    assert check_upload(jpeg_bytes(), "blob", ID_SCAN, 5 * MB) == "jpeg"  # camera without a name


def test_old_word_doc_is_recognised_by_its_ole2_signature():
    doc = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000
    assert check_upload(doc, "cccd.doc", ID_SCAN, 5 * MB) == "doc"


def test_six_megabyte_pdf_is_refused():
    big = pdf_bytes(padding=6 * MB)
    assert len(big) > 6 * MB
    with pytest.raises(UploadRejected) as err:
        check_upload(big, "cccd.pdf", ID_SCAN, 5 * MB)
    assert "vượt quá giới hạn 5 MB" in err.value.message
    with pytest.raises(UploadRejected):
        check_size(len(big), "cccd.pdf", 5 * MB)  # before reading the body


def test_png_renamed_pdf_is_refused():
    with pytest.raises(UploadRejected) as err:
        check_upload(png_bytes(), "cccd.pdf", ID_SCAN, 5 * MB)
    assert "đuôi .pdf" in err.value.message and "ảnh PNG" in err.value.message


def test_empty_file_is_refused():
    with pytest.raises(UploadRejected) as err:
        check_upload(b"", "cccd.pdf", ID_SCAN, 5 * MB)
    assert "rỗng" in err.value.message


def test_encrypted_pdf_is_refused():
    with pytest.raises(UploadRejected) as err:
        check_upload(pdf_bytes(password="secret"), "cccd.pdf", ID_SCAN, 5 * MB)
    assert "mật khẩu" in err.value.message


def test_broken_pdf_is_refused():
    with pytest.raises(UploadRejected) as err:
        check_upload(b"%PDF-1.7\n" + b"\x00garbage" * 50, "cccd.pdf", ID_SCAN, 5 * MB)
    assert "hỏng" in err.value.message or "không có trang" in err.value.message


def test_too_many_pages_is_refused():
    with pytest.raises(UploadRejected) as err:
        check_upload(pdf_bytes(5), "cccd.pdf", ID_SCAN, 5 * MB, max_pages=4)
    assert "5 trang" in err.value.message


def test_kind_not_allowed_and_unknown_content_are_refused():
    with pytest.raises(UploadRejected) as err:
        check_upload(b"MZ\x90\x00 executable", "cccd.pdf", ID_SCAN, 5 * MB)
    assert "Chỉ nhận" in err.value.message
    with pytest.raises(UploadRejected):
        check_upload(png_bytes(), "anh.png", {"pdf"}, 5 * MB)


def test_zip_that_is_not_a_word_document_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UploadRejected) as err:
        check_upload(buf.getvalue(), "cccd.docx", ID_SCAN, 5 * MB)
    assert "không phải tài liệu Word" in err.value.message


def test_truncated_picture_is_refused():
    with pytest.raises(UploadRejected):
        check_upload(png_bytes()[:30], "anh.png", ID_SCAN, 5 * MB)


def test_accept_attribute_lists_the_extensions():
    assert accept_attribute({"pdf", "jpeg"}) == ".pdf,.jpg,.jpeg,.jpe"


@pytest.mark.parametrize(
    ("part", "content_type"),
    [
        ("word/vbaProject.bin", None),
        ("word/vbaData.xml", None),
        (None, "application/vnd.ms-word.document.macroEnabled.main+xml"),
        (None, "application/vnd.ms-office.vbaProject"),
    ],
    ids=["part-vbaProject", "part-vbaData", "type-macroEnabled", "type-vbaProject"],
)
def test_macro_package_is_refused_by_its_part_name_alone_or_its_content_type_alone(part, content_type):
    data = docx_with_one_macro_marker(part=part, content_type=content_type)
    with pytest.raises(UploadRejected, match="macro"):
        check_upload(data, "the-can-cuoc.docx", ID_SCAN, 5 * MB)


def test_a_plain_package_with_no_marker_passes():
    assert check_upload(docx_with_one_macro_marker(), "the-can-cuoc.docx", ID_SCAN, 5 * MB) == "docx"
