"""Camera capture of an original: a tablet photo of a page on a desk becomes an upright, cropped page scan.

EXIF orientation is applied first (tablets store photos sideways with an orientation tag); the page is
found as the largest bright quadrilateral, its perspective corrected, and the result kept at no more than
300 dpi for an A4 page (legible text, ~0.5–1 MB as JPEG). The colours are kept as photographed. When no
page is found, the caller keeps the raw (upright) photo: the official can always fall back to it.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageOps

from app.web.worker_process import settle

A4_LONG_INCHES = 11.69
MAX_LONG_SIDE = round(300 * A4_LONG_INCHES)  # 3508 px: 300 dpi on an A4 page
DETECT_SIDE = 1000  # the page is looked for on a small copy: fast and robust to paper texture
JPEG_QUALITY = 85


@dataclass(frozen=True)
class CapturedPage:
    jpeg: bytes
    width: int
    height: int
    dpi: int
    page_found: bool  # False: the raw upright photo (no page edges were found)


def upright(data: bytes) -> Image.Image:
    """The photo as RGB with its EXIF orientation applied."""
    with Image.open(io.BytesIO(data)) as image:
        return ImageOps.exif_transpose(image).convert("RGB")


def capture_page(data: bytes, *, crop: bool = True) -> CapturedPage:
    """Straighten one photographed page; `crop=False` keeps the whole upright photo (the fallback)."""
    image = upright(data)
    rgb = np.asarray(image)
    quad = find_page(rgb) if crop else None
    page = rgb if quad is None else warp(rgb, quad)
    return encode(page, page_found=quad is not None)


def find_page(rgb: np.ndarray) -> np.ndarray | None:
    """The page's four corners (full-size coordinates, clockwise from top-left), or None."""
    scale = DETECT_SIDE / max(rgb.shape[:2])
    small = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else rgb
    scale = min(scale, 1.0)
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), (5, 5), 0)
    # Paper is brighter than the desk: Otsu splits them; closing fills the printed text.
    _, mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    contour = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(contour)
    if area < 0.15 * mask.size or area > 0.98 * mask.size:
        return None  # no page, or the page fills the photo (nothing to crop)
    hull = cv2.convexHull(contour)
    quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    if len(quad) != 4:
        quad = cv2.boxPoints(cv2.minAreaRect(hull))  # rounded corners or a fold: the enclosing rectangle
    return order_corners(np.asarray(quad, dtype=np.float32).reshape(4, 2) / scale)


def order_corners(points: np.ndarray) -> np.ndarray:
    """Top-left, top-right, bottom-right, bottom-left."""
    sums, diffs = points.sum(axis=1), np.diff(points, axis=1).ravel()
    return np.array([points[np.argmin(sums)], points[np.argmin(diffs)], points[np.argmax(sums)],
                     points[np.argmax(diffs)]], dtype=np.float32)


def warp(rgb: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """Perspective-correct the page to a rectangle as large as its longest edges (deskews it too)."""
    tl, tr, br, bl = quad
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad, target)
    return cv2.warpPerspective(
        rgb, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )


def encode(rgb: np.ndarray, page_found: bool) -> CapturedPage:
    """JPEG at ≤ 300 dpi for an A4 page; the dpi written makes the page print at its real size."""
    image = Image.fromarray(rgb)
    long_side = max(image.size)
    if long_side > MAX_LONG_SIDE:
        image = image.resize((round(image.width * MAX_LONG_SIDE / long_side),
                              round(image.height * MAX_LONG_SIDE / long_side)), Image.LANCZOS)
    dpi = max(72, round(max(image.size) / A4_LONG_INCHES))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, dpi=(dpi, dpi), optimize=True)
    return CapturedPage(buffer.getvalue(), image.width, image.height, dpi, page_found)


def rotate(jpeg: bytes, degrees: int) -> bytes:
    """Turn a captured page by a multiple of 90° clockwise (the official's rotate button)."""
    with Image.open(io.BytesIO(jpeg)) as image:
        dpi = image.info.get("dpi", (150, 150))
        turned = image.rotate(-degrees, expand=True)
    buffer = io.BytesIO()
    turned.save(buffer, "JPEG", quality=JPEG_QUALITY, dpi=dpi)
    return buffer.getvalue()


def capture_jpeg(data: bytes, crop: bool = True) -> bytes:
    """capture_page(...).jpeg, for run.cpu_bound (a worker process: plain bytes in and out)."""
    settle()  # the worker process yields the CPU to the event loop, and ends with the server
    return capture_page(data, crop=crop).jpeg
