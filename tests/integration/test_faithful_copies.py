"""Issue 27: every certified copy shows what the original shows and verifies before it is numbered.

Real-world quirks, made in the tests by more than one producer (tests/support/pdf_corpus.py), go through
the upload, the leader's signature and the office's seal; the issued copy must verify valid (as the
public page and `main.py verify` judge it) and render page by page like the uploaded original."""
from __future__ import annotations

import io

import pytest

from app.db import session_scope
from app.intake.uploads import UploadRejected
from app.signing import certification_service as service
from domain import dossiers
from tests.support import pdf_corpus
from tests.support.pdf_flow import (
    differing_fraction,
    page_count,
    page_text,
    render,
    sign_and_seal,
    stored_scan,
    upload_pdf,
)

CASES = {case.name: case for case in pdf_corpus.corpus()}


def test_filled_form_values_show_on_the_thumbnail_and_the_copy(demo_db):
    from PIL import Image

    from app.intake.scans import thumbnail

    up = upload_pdf(pdf_corpus.pikepdf_form(stale_appearance=True))
    stored = stored_scan(up)
    # the clerk's thumbnail is drawn from the stored page without any form machinery: the value is there
    assert pdf_corpus.FORM_VALUE in page_text(stored, 0)
    assert differing_fraction(render(stored, 0, forms=False), render(stored, 0, forms=True)) == 0
    with session_scope() as session:
        page = dossiers.pages_of(session, up.original_id)[0]
    drawn = Image.open(io.BytesIO(thumbnail(page.file_sha256, 0, 0))).convert("L")
    field = drawn.crop((int(drawn.width * 0.17), int(drawn.height * 0.25), int(drawn.width * 0.5),
                        int(drawn.height * 0.29)))
    assert min(field.get_flattened_data()) < 200, "the value is drawn on the thumbnail (blank: 255)"
    issued = sign_and_seal(up)
    assert pdf_corpus.FORM_VALUE in page_text(issued, 0)
    assert service.verify_bytes(issued).status == "valid"


@pytest.mark.parametrize("name", list(CASES))
def test_corpus_case_gives_a_valid_copy_that_renders_like_the_original(demo_db, name):
    case = CASES[name]
    issued = sign_and_seal(upload_pdf(case.data, f"{name}.pdf"))
    result = service.verify_bytes(issued)
    assert result.status == "valid", (name, result.to_dict())
    pages = page_count(case.data)
    assert page_count(issued) == pages + 1  # the statement page last
    for text in case.texts:
        assert text in page_text(issued, 0), (name, text)
    for index in range(pages):
        original, copy = render(case.data, index), render(issued, index)
        assert original.size == copy.size, (name, index)
        assert differing_fraction(original, copy) < 0.0002, (name, index)


def test_active_content_is_refused_in_plain_vietnamese(demo_db):
    from tests.support.bad_files import pdf_open_action_launch, pdf_page_aa_js

    for data in (pdf_page_aa_js(), pdf_open_action_launch()):
        with pytest.raises(UploadRejected) as refused:
            upload_pdf(data)
        message = refused.value.message
        assert "không được nhận" in message
        for code_word in ("URI", "JavaScript", "Launch", "SubmitForm", "XFA", "/"):
            assert code_word not in message.split("»", 1)[1], message


def test_a_117_page_original_with_a_shared_font_gives_a_copy_of_about_its_size(demo_db):
    """Shared resources are embedded once: under 1.5 x the stored original + 0.5 MB (the statement page,
    signatures, validation data). Page by page, the copy of this 0.1 MB original was 1.3 MB."""
    up = upload_pdf(pdf_corpus.fpdf_text(117), "luan-van.pdf", title="Luận văn")
    issued = sign_and_seal(up)
    original = stored_scan(up)
    assert page_count(issued) == 118
    print(f"\n117 pages: stored original {len(original):,} B, issued copy {len(issued):,} B")
    assert len(issued) < 1.5 * len(original) + 512 * 1024, (len(original), len(issued))
    assert service.verify_bytes(issued).status == "valid"
