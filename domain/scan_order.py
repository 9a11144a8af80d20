"""A certified copy holds every scanned page of its original, in the stored order, and nothing else.

Each scan page of the copy PDF carries a mark naming the stored page it was made from
(``page_ref``). Before the leader signs and before the office seals, the marks read from the copy
must equal the stored pages, position by position; otherwise the step is refused and nothing is
signed (a copy with a page missing or out of order is a wrong legal document)."""
from __future__ import annotations

from domain.dossiers import WorkflowError
from domain.models import ScanPage


def page_ref(page: ScanPage) -> str:
    """What identifies a stored page's content on the copy: the file, the page in it, the rotation."""
    return f"{page.file_sha256}:{page.page_index}:{page.rotation}"


def stored_refs(pages: list[ScanPage], title: str) -> list[str]:
    """The refs of the stored pages (already sorted by position); positions must be 0, 1, 2, …"""
    if [p.position for p in pages] != list(range(len(pages))):
        raise WorkflowError(f"Thứ tự các trang scan của «{title}» không nhất quán (trùng hoặc thiếu vị trí). "
                            "Cán bộ chứng thực cần kiểm tra lại bản scan trước khi ký.")
    return [page_ref(p) for p in pages]


def check_copy_pages(found: list[str], pages: list[ScanPage], title: str, step: str) -> None:
    """``found``: the mark of every page of the copy, in order ('' for a page without one, such as
    the statement page, which must come last). ``step`` says what is refused ('ký số', 'đóng dấu')."""
    expected = stored_refs(pages, title) + [""]
    if found == expected:
        return
    scanned = [ref for ref in found if ref]
    if len(scanned) != len(pages):
        detail = f"bản sao có {len(scanned)} trang scan, hồ sơ lưu {len(pages)} trang"
    else:
        # equal up to the shorter list (an unmarked page added at the end): the first extra page is wrong
        first = next((i for i, (a, b) in enumerate(zip(found, expected, strict=False)) if a != b),
                     min(len(found), len(expected)))
        detail = f"trang {first + 1} của bản sao không phải trang {first + 1} đã lưu"
    raise WorkflowError(f"Bản sao «{title}» không khớp với các trang scan đã lưu ({detail}). Chưa {step}; "
                        "vui lòng trả lại hồ sơ để cán bộ chứng thực kiểm tra lại bản scan.")
