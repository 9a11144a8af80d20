"""Scans of originals: check an upload (app.uploads + a pixel limit), count its pages, draw thumbnails.

    kind, pages = check_scan(data, name)      # or UploadRejected with a Vietnamese message
    data, kind = normalize_scan(data, kind)   # CMYK / 16-bit pictures → 8-bit RGB/grey, so they draw right
    url = thumbnail_url(sha256, page_index, rotation)   # a small JPEG data URL
"""
from __future__ import annotations

import base64
import io
import warnings
from functools import lru_cache

from app.files import read_bytes
from app.settings import get_settings
from app.uploads import MAX_PIXELS, UploadRejected, check_upload, sniff

SCAN_KINDS = {"pdf", "jpeg", "png"}
THUMB_WIDTH = 180


def check_scan(data: bytes, filename: str) -> tuple[str, int]:
    """(kind, page count) of an acceptable scan; UploadRejected otherwise."""
    settings = get_settings()
    kind = check_upload(data, filename, SCAN_KINDS, settings.max_scan_mb * 1024 * 1024,
                        max_pages=settings.max_scan_pages)
    if kind == "pdf":
        return kind, pdf_page_count(data)
    _check_pixels(data, filename)
    return kind, 1


_NORMALIZE_MODES = {"CMYK", "I;16", "I;16L", "I;16B", "I;16N", "I", "F", "LAB", "YCbCr"}


def normalize_scan(data: bytes, kind: str) -> tuple[bytes, str]:
    """An accepted picture the copy PDF cannot draw faithfully (CMYK JPEG, 16-bit PNG) re-encoded as an
    8-bit RGB JPEG / 8-bit grey PNG, keeping its resolution; anything else unchanged."""
    if kind not in ("jpeg", "png"):
        return data, kind
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        if image.mode not in _NORMALIZE_MODES:
            return data, kind
        dpi = image.info.get("dpi")
        if image.mode.startswith("I;16") or image.mode in ("I", "F"):
            image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
            out_kind, fmt, options = "png", "PNG", {"optimize": True}
        else:
            image = image.convert("RGB")
            out_kind, fmt, options = "jpeg", "JPEG", {"quality": 92}
        if dpi:
            options["dpi"] = dpi
        buf = io.BytesIO()
        image.save(buf, fmt, **options)
    return buf.getvalue(), out_kind


def pdf_page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data), strict=False).pages)


def _check_pixels(data: bytes, filename: str) -> None:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        width = height = MAX_PIXELS  # flagged below
    if width * height > MAX_PIXELS:
        raise UploadRejected(f"Ảnh «{filename}» có kích thước điểm ảnh quá lớn; hãy chụp/quét lại với độ "
                             "phân giải thấp hơn (khoảng 300 dpi).")


def thumbnail_url(sha256: str, page_index: int, rotation: int, width: int = THUMB_WIDTH) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(thumbnail(sha256, page_index, rotation, width)).decode()


@lru_cache(maxsize=256)
def thumbnail(sha256: str, page_index: int, rotation: int, width: int = THUMB_WIDTH) -> bytes:
    """A small JPEG of one page (a PDF page via pypdfium2, an image via Pillow), turned clockwise."""
    from PIL import Image

    data = read_bytes(sha256)
    if sniff(data) == "pdf":
        image = _pdf_page_image(data, page_index, width)
    else:
        with Image.open(io.BytesIO(data)) as original:
            original.draft("RGB", (width * 2, width * 3))  # fast JPEG downscale
            image = original.convert("RGB")
    if rotation:
        image = image.rotate(-rotation, expand=True)
    image.thumbnail((width, width * 2))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


def _pdf_page_image(data: bytes, page_index: int, width: int):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[page_index]
        try:
            scale = max(0.1, width * 2 / page.get_width())
            return page.render(scale=scale).to_pil().convert("RGB")
        finally:
            page.close()
    finally:
        pdf.close()
