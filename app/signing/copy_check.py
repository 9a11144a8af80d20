"""A signed copy is checked before it is accepted: after the leader's signature, and after the office's
seal, before the register number and the copy are committed.

    check_copy(path, trust_roots_der, "đóng dấu")   # or raises CopyRefused (Vietnamese)

Two checks: the file verifies with the public page's verification (app.signing.verify, every signature
intact, trusted, no change the signatures forbid), and every scanned page of the copy, rendered, looks
like the stored page it was made from (same size, at most two pixels differing at 50 dpi). The
work runs in the signing process when there is one (app.signing.worker), on the files' paths: pdfium
reads the copy and the stored originals page by page, and a 1,000-page copy is never pickled across.
"""
from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import x509
from PIL import ImageChops

from app import files
from app.signing import worker as signing_worker
from domain.dossiers import WorkflowError
from domain.signing.verification import Role, Status

from .copy_pdf import ScanInput, image_page_pdf, is_pdf, page_sources
from .verify import verify_pdf

RENDER_SCALE = 50 / 72  # 50 dpi: enough to see a missing field value or a stamp, cheap on 1,000 pages
INK = 48  # a grey difference below this is anti-aliasing, not content
MAX_DIFFERING_PX = 2  # pixels that may differ: a faithful copy's page draws exactly as the stored one (0 on
# every copy the suite makes, forms, links and rotations included); a page number changed from 1 to 2 is ~25
# pixels at 50 dpi, a missing 14-pt field value ~240 (a share of the page, 0.02 %, let the page number pass)
SIZE_TOLERANCE_PX = 2  # rounding of odd page sizes at 50 dpi
REOPEN_EVERY = 50  # pages: pdfium keeps every object it has read until its document is closed, so the
# documents are closed and opened again as the check goes (memory does not grow with the pages)


class CopyRefused(WorkflowError):
    """The copy fails its own verification or does not show what the stored original shows."""


@dataclass(frozen=True)
class _Page:
    index: int  # on the copy, 0-based
    path: str  # the stored file
    page_index: int
    rotation: int


def check_copy(path: str, trust_roots_der: tuple[bytes, ...], step: str) -> None:
    """Nothing if the copy at `path` passes both checks, else CopyRefused naming the page; ``step``:
    'ký số' or 'đóng dấu' (what is refused)."""
    pages = []
    for index, ref in enumerate(signing_worker.call(page_sources, path)):
        if not ref:
            continue
        sha, page_index, rotation = ref.split("#", 1)[0].split(":")
        pages.append(_Page(index, str(files.path_of(sha)), int(page_index), int(rotation)))
    problem = signing_worker.call(find_problem, path, pages, trust_roots_der, step == "đóng dấu")
    if problem:
        unnumbered = ", không cấp số chứng thực" if step == "đóng dấu" else ""
        raise CopyRefused(f"Bản sao không đạt kiểm tra trước khi {step}: {problem} Chưa {step}{unnumbered}. "
                          "Vui lòng trả lại hồ sơ để cán bộ chứng thực kiểm tra lại bản scan hoặc báo "
                          "quản trị hệ thống.")


def find_problem(path: str, pages: list[_Page], trust_roots_der: tuple[bytes, ...],
                 sealed: bool) -> str | None:
    """What is wrong with the copy at `path`, in Vietnamese; None when it verifies and every page
    matches. A stored file no longer whole raises FileMissing."""
    for stored in {page.path for page in pages}:
        files.check_stored(stored)
    with open(path, "rb") as handle:  # pyHanko's verification reads bytes; freed before the pages
        problem = _signature_problem(handle.read(), trust_roots_der, sealed)
    return problem or page_problem(path, pages)


def _signature_problem(pdf: bytes, trust_roots_der: tuple[bytes, ...], sealed: bool) -> str | None:
    roots = [x509.Certificate.load(der) for der in trust_roots_der]
    result = verify_pdf(pdf, trust_roots=roots)
    roles = {s.role for s in result.signatures}
    if result.status in (Status.ALTERED, Status.UNTRUSTED, Status.REVOKED) or Role.LEADER not in roles \
            or (sealed and Role.OFFICE not in roles):
        reasons = " ".join(result.problems[:2]) or "không đọc được chữ ký số."
        return f"tệp không hợp lệ khi kiểm tra chữ ký số ({reasons.rstrip('.')})."
    return None


def page_problem(path: str, pages: list[_Page]) -> str | None:
    opened: dict[str, object] = {}  # one open document per stored PDF (a 1,000-page original)
    copy = _open(path)
    try:
        for done, page in enumerate(pages):
            if done and done % REOPEN_EVERY == 0:
                for doc in [copy, *opened.values()]:
                    doc.close()
                opened.clear()
                copy = _open(path)
            name = f"trang {page.index + 1} của bản sao"
            try:
                if is_pdf(ScanInput(path=page.path)):
                    if page.path not in opened:
                        opened[page.path] = _open(page.path)
                    want = _render(opened[page.path], page.page_index, page.rotation)
                else:
                    with open(page.path, "rb") as handle:
                        picture = _open(image_page_pdf(handle.read()))
                    try:
                        want = _render(picture, 0, page.rotation)
                    finally:
                        picture.close()
                got = _render(copy, page.index, 0)
            except Exception:  # noqa: BLE001 - a page pdfium cannot draw is not a page a copy may show
                return f"không vẽ được {name}."
            problem = _compare(want, got, name)
            if problem:
                return problem
    finally:
        for doc in [copy, *opened.values()]:
            doc.close()
    return None


def _open(source: str | bytes):
    """pdfium reads a path's pages as they are drawn, not the whole file."""
    import pypdfium2 as pdfium  # lazy: 0.1-0.3 s to load, only when a copy is checked

    doc = pdfium.PdfDocument(source)
    doc.init_forms()  # widgets drawn as a viewer draws them (field values too), on both sides
    return doc


def _compare(want, got, name: str) -> str | None:
    w_size, g_size = want.size, got.size
    if abs(w_size[0] - g_size[0]) > SIZE_TOLERANCE_PX or abs(w_size[1] - g_size[1]) > SIZE_TOLERANCE_PX:
        return f"{name} có khổ khác trang đã lưu."
    if w_size != g_size:
        got = got.resize(w_size)
    differing = _differing(want, got)
    if differing > MAX_DIFFERING_PX:
        return f"{name} hiển thị khác trang đã lưu ({differing} điểm ảnh khác)."
    return None


def _render(doc, index: int, rotation: int):
    page = doc[index]
    try:
        return page.render(scale=RENDER_SCALE, rotation=rotation, may_draw_forms=True).to_pil().convert("L")
    finally:
        page.close()


def _differing(a, b) -> int:
    return ImageChops.difference(a, b).point(lambda v: 255 if v > INK else 0).histogram()[255]
