"""Issue 27.4: a refused scan upload does not stay in the upload list as done (no ✓ "100 %"): the list is
cleared and the refusal is said, one line a file; a letter with web links is accepted. Issue 33.2: each file
of a batch gets its line, a taken one with its pages, a refused one with its message, and the lines stay
through the redraw that follows an accepted file."""
from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from app.db import write_scope
from domain import dossiers
from tests.support import pdf_corpus
from tests.support.bad_files import pdf_page_aa_js
from tests.support.http_upload import post_files
from tests.support.workflow import user_named
from tests.ui.test_sign_in_pages import sign_in


async def test_refused_file_leaves_the_upload_list_and_a_link_letter_is_accepted(user: User, monkeypatch):
    cleared: list[ui.upload] = []
    real_reset = ui.upload.reset
    monkeypatch.setattr(ui.upload, "reset", lambda self: (cleared.append(self), real_reset(self))[1])
    clerk = user_named("chungthuc")
    with write_scope() as session:
        dossier = dossiers.open_dossier(session, clerk, dossiers.RequesterData(
            name="Nguyễn Văn An", id_number="001099012345", phone="0987654321"))
    with write_scope() as session:
        dossiers.save_original(session, clerk, dossier.id, dossiers.OriginalData(
            title="Thư mời", issuer="UBND", pages=1,
            checks=["not_altered", "legible", "not_secret", "lawful_content"]))
    await sign_in(user, "chungthuc")
    await user.open(f"/dossier/{dossier.id}")
    await user.should_see("Bản scan: 0 trang")
    upload = user.find(marker="scan-upload-1").elements.pop()

    await post_files(user, upload, [("thu-moi.pdf", "application/pdf", pdf_corpus.fpdf_link(2))])
    await user.should_see("Bản scan: 1 trang", retries=100)
    await user.should_see("✓ «thu-moi.pdf»: 1 trang")  # said again under the redrawn uploader
    assert cleared == []  # all accepted: the list may show them done

    upload = user.find(marker="scan-upload-1").elements.pop()  # the dossier was redrawn
    await post_files(user, upload, [("co-ma-lenh.pdf", "application/pdf", pdf_page_aa_js())])
    await user.should_see("✗ Tệp PDF «co-ma-lenh.pdf» có chứa mã lệnh tự chạy, không được nhận", retries=100)
    assert cleared == [upload]

    upload = user.find(marker="scan-upload-1").elements.pop()
    await post_files(user, upload, [("ba-trang.pdf", "application/pdf", pdf_corpus.fpdf_text(3)),
                                    ("co-ma-lenh.pdf", "application/pdf", pdf_page_aa_js())])
    await user.should_see("Bản scan: 4 trang", retries=100)  # the dossier redrawn: both lines kept
    await user.should_see("✓ «ba-trang.pdf»: 3 trang")
    await user.should_see("✗ Tệp PDF «co-ma-lenh.pdf» có chứa mã lệnh tự chạy, không được nhận")
    await user.should_not_see("✓ «thu-moi.pdf»")  # the earlier batch's lines are gone
