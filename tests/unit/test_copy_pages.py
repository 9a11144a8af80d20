"""The copy check compares each page of a copy with the stored page it was made from: a copy page that
shows another page of the same original — in a land file or a transcript the pages differ by little more
than their printed number — is refused, naming the page; the right page passes (a faithful page draws
exactly the same)."""
from __future__ import annotations

from app.signing.copy_check import _Page, page_problem
from tests.support.thick import scanned_pdf


def test_a_copy_page_showing_the_neighbouring_page_is_refused(tmp_path):
    stored = tmp_path / "original.pdf"
    stored.write_bytes(scanned_pdf(12))  # "Trang 1" … "Trang 12" over the same ruled lines
    same = str(stored)  # the copy's pages, here the stored file itself

    assert page_problem(same, [_Page(i, same, i, 0) for i in range(12)]) is None
    swapped = page_problem(same, [_Page(0, same, 1, 0)])  # page 1 of the copy shows "Trang 1", not "Trang 2"
    assert swapped is not None and swapped.startswith("trang 1 của bản sao hiển thị khác trang đã lưu")
    tenth = page_problem(same, [_Page(9, same, 0, 0)])  # "Trang 10" where "Trang 1" was stored
    assert tenth is not None and tenth.startswith("trang 10 của bản sao")
