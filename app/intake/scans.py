"""Scans of originals: check an upload (app.intake.uploads + a pixel limit), count its pages, draw thumbnails.

kind, pages = check_scan(data, name)      # or UploadRejected with a Vietnamese message
data, kind = normalize_scan(data, kind)   # EXIF orientation applied; CMYK / 16-bit → 8-bit; PDF flattened
url = thumbnail_url(sha256, page_index, rotation)   # a small JPEG data URL, drawn from a downscaled preview
"""
from __future__ import annotations

import base64
import io
import os
import threading
import warnings
from functools import lru_cache

from PIL import Image, ImageOps
from pypdf import PdfReader

from app.files import read_bytes
from app.intake.pdf_normalize import normalize_pdf
from app.intake.uploads import MAX_PIXELS, UploadRejected, check_upload, sniff
from app.settings import get_settings

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


def exif_orientation(image) -> int:
    try:
        return int(image.getexif().get(0x0112, 1) or 1)
    except Exception:  # noqa: BLE001 — a broken EXIF block means "as stored"
        return 1


def normalize_scan(data: bytes, kind: str) -> tuple[bytes, str]:
    """First the EXIF orientation (a tablet photo stored sideways with 'rotate 90°' in its EXIF) is applied
    to the pixels, so every later step — preview, copy PDF, signature — sees the page upright. Then a picture
    the copy PDF cannot draw faithfully (CMYK JPEG, 16-bit PNG) is re-encoded as 8-bit RGB JPEG / 8-bit grey
    PNG, keeping its resolution. A PDF has its form values and visible annotations flattened into its pages
    (app.intake.pdf_normalize), so that thumbnails, copy and signatures all see what a viewer shows."""
    if kind == "pdf":
        return normalize_pdf(data), kind
    if kind not in ("jpeg", "png"):
        return data, kind
    with Image.open(io.BytesIO(data)) as image:
        orientation = exif_orientation(image)
        if image.mode not in _NORMALIZE_MODES and orientation == 1:
            return data, kind
        dpi = image.info.get("dpi")
        if orientation != 1:
            image = ImageOps.exif_transpose(image)
        if image.mode.startswith("I;16") or image.mode in ("I", "F"):
            image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
            out_kind, fmt, options = "png", "PNG", {"optimize": True}
        elif kind == "png" and image.mode not in _NORMALIZE_MODES:
            out_kind, fmt, options = "png", "PNG", {}
        else:
            image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
            out_kind, fmt, options = "jpeg", "JPEG", {"quality": 92}
        if dpi:
            options["dpi"] = dpi
        buf = io.BytesIO()
        image.save(buf, fmt, **options)
    return buf.getvalue(), out_kind


def pdf_page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data), strict=False).pages)


def _check_pixels(data: bytes, filename: str) -> None:
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
    return (
        "data:image/jpeg;base64," + base64.b64encode(thumbnail(sha256, page_index, rotation, width)).decode()
    )


PREVIEW_SIDE = 1200  # the longest side of the downscaled copy every picture preview is drawn from


@lru_cache(maxsize=256)
def thumbnail(sha256: str, page_index: int, rotation: int, width: int = THUMB_WIDTH) -> bytes:
    """A small JPEG of one page (a PDF page via pypdfium2, a picture from its downscaled preview), turned
    clockwise."""
    data = read_bytes(sha256)
    if sniff(data) == "pdf":
        image = _pdf_page_image(data, page_index, width)
    else:
        with Image.open(io.BytesIO(picture_preview(sha256, data))) as preview:
            image = preview.convert("RGB")
    if rotation:
        image = image.rotate(-rotation, expand=True)
    image.thumbnail((width, width * 2))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


def picture_preview(sha256: str, data: bytes | None = None) -> bytes:
    """A JPEG of the picture at most PREVIEW_SIDE pixels long, made once and kept in DATA_DIR/previews (a
    cache: rebuilt when missing). A preview then decodes ~1 MP instead of up to 50 MP each time."""
    folder = get_settings().data_dir / "previews"
    path = folder / f"{sha256}.jpg"
    if path.exists():
        return path.read_bytes()
    blob = downscaled_jpeg(data if data is not None else read_bytes(sha256), PREVIEW_SIDE)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".tmp-{sha256}-{os.getpid()}-{threading.get_ident()}"
    tmp.write_bytes(blob)
    os.replace(tmp, path)
    return blob


def downscaled_jpeg(data: bytes, side: int) -> bytes:
    """Shrink in the picture's own mode first (1 byte a pixel for grey/palette, JPEG decoded at 1/2–1/8
    scale), convert to RGB only once small; EXIF orientation applied."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as original:
            original.draft("RGB", (side, side))  # JPEG only: decode at a reduced scale
            image = ImageOps.exif_transpose(original)
            if image.mode in ("1", "P"):
                image = image.convert("L" if image.mode == "1" else "RGBA")
            factor = max(1, max(image.size) // side)
            if factor > 1 and image.mode in ("L", "RGB", "RGBA", "LA", "I", "F", "CMYK"):
                image = image.reduce(factor)
            image.thumbnail((side, side))
            image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
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
