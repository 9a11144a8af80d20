import pytest

from app.intake.sniff import sniff


@pytest.mark.parametrize(("data", "kind"), [
    (b"%PDF-1.7\n", "pdf"), (b"\xff\xd8\xff\xe0", "jpeg"), (b"\x89PNG\r\n\x1a\n", "png"),
    (b"PK\x03\x04", "docx"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"), (b"hello", None), (b"", None),
])
def test_a_file_is_what_its_first_bytes_say(data, kind):
    assert sniff(data) == kind


def test_a_pdf_header_after_other_bytes_is_not_a_pdf_for_uploads_or_id_scans():
    assert sniff(b"junk before\n%PDF-1.7\n") is None
