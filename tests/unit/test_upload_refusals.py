"""The exact words an official or citizen reads when an upload is refused, and the edges of each refusal
(app/intake/uploads.py): what a Word package may hold, how big it may unpack, how many pixels a picture
may have."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from PIL import Image

from app.intake.uploads import MAX_DOCX_UNPACKED, UploadRejected, check_upload

MB = 1024 * 1024
ID_SCAN = {"pdf", "docx", "doc", "jpeg", "png"}
ACTIVE = ("Tệp Word «the.docx» có chứa {}, không được nhận. Hãy lưu lại dưới dạng tài liệu Word thông "
          "thường (.docx), PDF hoặc ảnh rồi gửi lại.")


def package(*parts: tuple[str, bytes | str], types: bytes | str = "<Types/>") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("word/document.xml", "<w:document><w:body>Thẻ căn cước</w:body></w:document>")
        for name, content in parts:
            z.writestr(name, content)
    return buf.getvalue()


def refusal(data: bytes, name: str = "the.docx", allowed: set[str] = ID_SCAN) -> str:
    with pytest.raises(UploadRejected) as refused:
        check_upload(data, name, allowed, 60 * MB)
    return refused.value.message


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height (no decoding needed to refuse it)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) \
        + chunk(b"IEND", b"")


def test_a_file_of_the_wrong_kind_names_its_content_and_what_is_accepted():
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buf, "JPEG")
    assert refusal(buf.getvalue(), "anh.jpg", {"pdf", "png"}) == (
        "Tệp «anh.jpg» không đúng loại được nhận (nội dung là ảnh JPEG). Chỉ nhận: PDF, ảnh PNG.")


@pytest.mark.parametrize(("part", "what"), [
    ("word/vbaProject.bin", "macro (mã lệnh tự chạy)"),
    ("word/activeX/activeX1.xml", "điều khiển ActiveX"),
    ("word/embeddings/oleObject1.bin", "đối tượng OLE nhúng"),
    ("word/embeddings/oleObject2.xml", "đối tượng OLE nhúng"),  # an OLE object whatever its extension
    ("word/embeddings/package7.bin", "đối tượng OLE nhúng"),  # any binary embedding
    ("WORD/EMBEDDINGS/OLEOBJECT3.BIN", "đối tượng OLE nhúng"),
], ids=["macro", "activex", "ole-bin", "ole-xml", "embedded-bin", "upper-case"])
def test_a_word_package_that_runs_something_is_refused_and_says_what(part, what):
    assert refusal(package((part, b"\xd0\xcf\x11\xe0" + b"\0" * 64))) == ACTIVE.format(what)


def test_ordinary_parts_of_a_word_file_pass():
    plain = package(("word/printerSettings/printerSettings1.bin", b"\0" * 64),  # Word writes these
                    ("word/embeddings/Microsoft_Excel_Worksheet.xlsx", b"PK\3\4"),  # an embedded sheet
                    ("word/media/image1.png", b"\x89PNG"))
    assert check_upload(plain, "the.docx", ID_SCAN, 5 * MB) == "docx"


def test_a_macro_content_type_is_found_in_content_types_that_are_not_clean_utf8():
    types = (b'<Types>\xff<Override ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/>'
             b"</Types>")
    assert refusal(package(types=types)) == ACTIVE.format("macro (mã lệnh tự chạy)")


def test_a_word_file_that_unpacks_too_big_is_refused_at_the_limit_not_before():
    body = len("<w:document><w:body>Thẻ căn cước</w:body></w:document>".encode())
    at_limit = package(("word/media/filler.bin", b"\0" * (MAX_DOCX_UNPACKED - body - len(b"<Types/>"))))
    assert check_upload(at_limit, "the.docx", ID_SCAN, 5 * MB) == "docx"
    over = package(("word/media/filler.bin", b"\0" * (MAX_DOCX_UNPACKED - body - len(b"<Types/>") + 1)))
    assert refusal(over) == ("Tệp Word «the.docx» khi giải nén quá lớn (50,0 MB); đây không phải một bản "
                             "chụp thẻ thông thường. Vui lòng lưu lại dưới dạng PDF hoặc ảnh.")


def test_a_word_file_of_too_many_parts_is_refused():
    parts = [(f"word/media/p{i}.txt", "x") for i in range(1998)]  # with the two of every package: 2,000
    assert check_upload(package(*parts), "the.docx", ID_SCAN, 5 * MB) == "docx"
    assert "khi giải nén quá lớn" in refusal(package(*parts, ("word/media/one-more.txt", "x")))


def test_a_broken_word_file_says_so():
    data = package()
    broken = data[:-22]  # the end-of-archive record cut off
    assert refusal(broken) == "Tệp Word «the.docx» bị hỏng, không mở được."


def test_a_picture_of_too_many_pixels_is_refused_before_decoding():
    assert refusal(png_header_only(8000, 7000), "anh.png") == (
        "Ảnh «anh.png» có kích thước điểm ảnh quá lớn; hãy chụp/quét lại với độ phân giải thấp hơn (khoảng "
        "300 dpi).")


def pdf(pages: int = 1, password: str | None = None, attachment: bool = False) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if attachment:
        writer.add_attachment("run.txt", b"hidden")
    if password:
        writer.encrypt(password)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_the_pdf_refusals_say_why():
    assert refusal(pdf(password="x"), "ban.pdf") == (
        "Tệp PDF «ban.pdf» được đặt mật khẩu (mã hóa). Vui lòng gửi bản PDF không đặt mật khẩu.")
    assert refusal(pdf(pages=0), "ban.pdf") == "Tệp PDF «ban.pdf» không có trang nào."
    assert refusal(pdf(attachment=True), "ban.pdf") == (
        "Tệp PDF «ban.pdf» có chứa tệp đính kèm, không được nhận. Vui lòng gửi bản quét hoặc bản PDF thông "
        "thường (không có mã lệnh, tệp đính kèm hay biểu mẫu động).")


def test_a_pdf_of_exactly_the_page_limit_passes():
    assert check_upload(pdf(pages=3), "ban.pdf", ID_SCAN, 5 * MB, max_pages=3) == "pdf"
    with pytest.raises(UploadRejected, match="có 4 trang, vượt quá giới hạn 3 trang"):
        check_upload(pdf(pages=4), "ban.pdf", ID_SCAN, 5 * MB, max_pages=3)


def png_with_text(offset: int) -> bytes:
    """A real small PNG whose text chunk puts b'%PDF-' at byte `offset` of the file."""
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buf, "PNG")
    plain = buf.getvalue()
    head, rest = plain[:33], plain[33:]  # signature + IHDR, then the image data
    keyword = b"Comment\0"
    padding = b"x" * (offset - len(head) - 8 - len(keyword))
    body = keyword + padding + b"%PDF-1.7"
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body + struct.pack(">I", zlib.crc32(b"tEXt" + body))
    data = head + chunk + rest
    assert data.index(b"%PDF-") == offset
    return data


def test_a_picture_that_a_pdf_reader_would_open_is_refused_and_says_why():
    assert refusal(png_with_text(1019), "anh.png") == (
        "Tệp «anh.png» vừa là ảnh PNG vừa chứa một tệp PDF (tệp «đa định dạng»), không được nhận. Vui lòng "
        "quét hoặc xuất lại tệp từ bản gốc.")
    assert check_upload(png_with_text(1020), "anh.png", ID_SCAN, 5 * MB) == "png"  # past the 1,024 bytes


def test_a_picture_with_a_zip_inside_is_refused_and_says_why():
    from tests.support.hostile_files import with_zip_appended

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buf, "PNG")
    assert refusal(with_zip_appended(buf.getvalue()), "anh.png") == (
        "Tệp «anh.png» vừa là ảnh PNG vừa chứa một tệp nén ZIP (tệp «đa định dạng»), không được nhận. Vui "
        "lòng quét hoặc xuất lại tệp từ bản gốc.")


def test_a_picture_of_exactly_the_pixel_limit_is_not_refused_for_its_size():
    # 10,000 × 5,000 = 50,000,000 pixels, the limit: judged on its content (here a broken one), not its size
    assert refusal(png_header_only(10_000, 5_000), "anh.png") == (
        "Ảnh «anh.png» bị hỏng, không mở được. Vui lòng chụp lại.")


def test_size_refusals_name_the_file_and_its_size():
    from app.intake.uploads import check_size

    with pytest.raises(UploadRejected) as refused:
        check_size(0, "ban.pdf", 5 * MB)
    assert refused.value.message == "Tệp «ban.pdf» rỗng (0 byte). Vui lòng chọn lại tệp."
    with pytest.raises(UploadRejected) as refused:
        check_size(7_602_574, "ban.pdf", 5 * MB)  # 7.2504 MiB: shown rounded, with a decimal comma
    assert refused.value.message == ("Tệp «ban.pdf» có dung lượng 7,3 MB, vượt quá giới hạn 5 MB. Hãy "
                                     "quét/chụp lại với độ phân giải thấp hơn.")
    check_size(5 * MB, "ban.pdf", 5 * MB)  # exactly the limit passes


def test_a_pdf_whose_cross_reference_table_is_off_is_still_read():
    """Scanners write such files (a comment inserted, offsets not updated); readers repair them."""
    data = pdf()
    at = data.index(b"1 0 obj")
    assert check_upload(data[:at] + b"% scanner\n" + data[at:], "ban.pdf", ID_SCAN, 5 * MB) == "pdf"


ALL = "Chỉ nhận: PDF, ảnh JPEG, ảnh PNG, Word (.docx), Word (.doc)."
BAD_NAME = "Tên tệp có ký tự không hợp lệ (đường dẫn hoặc ký tự điều khiển). Hãy đổi tên tệp rồi gửi lại."


@pytest.mark.parametrize("name", ["thu-muc/ban.pdf", "thu-muc\\ban.pdf", ".", "..", "ban\x00.pdf",
                                  "ban\x1f.pdf", "ban\x7f.pdf"])
def test_a_name_with_a_path_or_a_control_character_is_refused(name):
    assert refusal(pdf(), name) == BAD_NAME


def test_names_up_to_255_characters_pass_and_long_ones_are_shortened_in_messages():
    longest = "b" * 251 + ".pdf"
    assert check_upload(pdf(), longest, ID_SCAN, 5 * MB) == "pdf"
    assert refusal(pdf(), "b" + longest) == ("Tên tệp quá dài (256 ký tự, tối đa 255). Hãy đổi tên tệp ngắn "
                                             "hơn rồi gửi lại.")
    sixty = "c" * 56 + ".txt"
    assert refusal(b"hello", sixty) == f"Tệp «{sixty}» không đúng loại được nhận. {ALL}"
    assert refusal(b"hello", "d" + sixty) == f"Tệp «{('d' + sixty)[:57]}…» không đúng loại được nhận. {ALL}"
    assert check_upload(pdf(), "giấy khai sinh bản sao.pdf", ID_SCAN, 5 * MB) == "pdf"  # spaces are fine


def test_an_empty_file_is_named_and_a_nameless_one_is_called_tep():
    assert refusal(b"", "ban.pdf") == "Tệp «ban.pdf» rỗng (0 byte). Vui lòng chọn lại tệp."
    assert refusal(b"", "") == "Tệp «tệp» rỗng (0 byte). Vui lòng chọn lại tệp."


def test_a_truncated_jpeg_is_refused_as_broken():
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(buf, "JPEG")
    broken = "Ảnh «anh.jpg» bị hỏng, không mở được. Vui lòng chụp lại."
    assert refusal(buf.getvalue()[:200], "anh.jpg") == broken
