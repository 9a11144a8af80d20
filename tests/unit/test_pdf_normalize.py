"""Issue 27.2: what upload normalisation changes in an original PDF (app/intake/pdf_normalize.py), in
memory."""
from __future__ import annotations

import io

import pikepdf
import pytest

from app.intake.pdf_normalize import normalize_pdf
from app.intake.uploads import UploadRejected, check_upload
from tests.support import pdf_corpus
from tests.support.bad_files import pdf, pdf_javascript, pdf_open_action_launch, pdf_with

MB = 1024 * 1024


def annotations(data: bytes) -> list:
    with pikepdf.open(io.BytesIO(data)) as doc:
        return [(str(a.get("/Subtype")), a.is_indirect, "/A" in a) for page in doc.pages
                for a in page.obj.get("/Annots", [])]


def test_links_are_accepted_and_lose_their_action_but_not_their_text():
    data = pdf_corpus.fpdf_link(2)
    assert check_upload(data, "thu-moi.pdf", {"pdf"}, MB) == "pdf"
    assert annotations(data) == [("/Link", False, True)] * 2  # fpdf2: direct objects with a web action
    assert annotations(normalize_pdf(data)) == [("/Link", True, False)] * 2


def test_a_note_written_as_a_direct_object_becomes_indirect():
    assert annotations(normalize_pdf(pdf_corpus.fpdf_direct_annotations())) == [("/Text", True, False)]


def test_form_values_and_visible_annotations_are_flattened_into_the_page():
    for data in (pdf_corpus.pikepdf_form(stale_appearance=True),
                 pdf_corpus.pikepdf_form(stale_appearance=False, need_appearances=False),
                 pdf_corpus.pikepdf_stamp_annotation()):
        out = normalize_pdf(data)
        assert annotations(out) == []
        with pikepdf.open(io.BytesIO(out)) as doc:
            assert "/AcroForm" not in doc.Root


def test_a_pdf_without_forms_or_annotations_is_kept_byte_for_byte():
    data = pdf(3)
    assert normalize_pdf(data) is data


@pytest.mark.parametrize("make, words", [
    (pdf_javascript, "mã lệnh tự chạy"),
    (pdf_open_action_launch, "lệnh mở chương trình khác"),
    (lambda: pdf_with(catalog_extra={"/OpenAction": lambda w: w._add_object(submit_action())}),
     "lệnh gửi dữ liệu biểu mẫu ra ngoài"),
])
def test_active_content_is_refused_in_plain_vietnamese(make, words):
    with pytest.raises(UploadRejected) as refused:
        check_upload(make(), "don.pdf", {"pdf"}, MB)
    message = refused.value.message
    assert words in message and "không được nhận" in message
    assert not any(code in message for code in ("URI", "JavaScript", "Launch", "SubmitForm", "/"))


def submit_action():
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    return DictionaryObject({NameObject("/S"): NameObject("/SubmitForm"),
                             NameObject("/F"): TextStringObject("https://example.org/thu-thap")})
