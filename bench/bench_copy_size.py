"""Bench (issue 27): the size of a copy of a 117-page text original with one shared font and one shared
picture, built the way copies were built before (each page cut into a file of its own, then imported:
its font and picture copied once per page) and now (every page imported from one reader of the stored
file); and the time of the page check (app.signing.copy_check) on that copy.

Run: python bench/bench_copy_size.py   (target: the copy < 1.5 x the original + 0.5 MB)
"""
from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader, PdfWriter

from app.intake.pdf_normalize import normalize_pdf
from app.signing.copy_check import _Page, page_problem
from app.signing.copy_pdf import ScanInput, StatementInput, build_copy_pdf
from tests.support.pdf_corpus import fpdf_text

PAGES = 117
MB = 1024 * 1024


def cut_pages(data: bytes) -> list[ScanInput]:
    """Before issue 27: each stored page cut into a one-page PDF of its own."""
    reader = PdfReader(io.BytesIO(data))
    inputs = []
    for page in reader.pages:
        writer = PdfWriter()
        writer.add_page(page)
        buf = io.BytesIO()
        writer.write(buf)
        inputs.append(ScanInput(data=buf.getvalue()))
    return inputs


def timed(function, *args):
    start = time.perf_counter()
    value = function(*args)
    return value, time.perf_counter() - start


def main() -> None:
    original = normalize_pdf(fpdf_text(PAGES, letterhead=True))
    statement = StatementInput("Nguyễn Văn An", "Luận văn", "Trường Đại học", PAGES, "UBND phường")
    before, t_before = timed(build_copy_pdf, cut_pages(original), statement)
    shared = [ScanInput(data=original, page_index=i) for i in range(PAGES)]
    now, t_now = timed(build_copy_pdf, shared, statement)
    with tempfile.TemporaryDirectory() as folder:  # the check reads the files by their paths
        stored, copy = Path(folder) / "original.pdf", Path(folder) / "copy.pdf"
        stored.write_bytes(original)
        copy.write_bytes(now)
        pages = [_Page(i, str(stored), i, 0) for i in range(PAGES)]
        problem, t_check = timed(page_problem, str(copy), pages)
    assert problem is None, problem
    limit = 1.5 * len(original) + 0.5 * MB
    print(f"original: {PAGES} pages, {len(original) / MB:.2f} MB")
    print(f"copy before (page by page): {len(before) / MB:.2f} MB ({len(before) / len(original):.1f}x), "
          f"built in {t_before:.2f} s")
    print(f"copy now (one reader):      {len(now) / MB:.2f} MB ({len(now) / len(original):.2f}x), "
          f"built in {t_now:.2f} s; limit {limit / MB:.2f} MB {'OK' if len(now) < limit else 'OVER'}")
    print(f"page check (render {PAGES} pages of each at 50 dpi, compare): {t_check:.2f} s")


if __name__ == "__main__":
    main()
