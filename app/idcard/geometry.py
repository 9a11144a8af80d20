"""Straighten a photographed card and cut it out of its background (Pillow only)."""
from __future__ import annotations

from PIL import Image, ImageChops, ImageFilter, ImageOps


def rotate_upright(image: Image.Image, angle: float) -> Image.Image:
    """Rotate counter-clockwise by `angle` degrees, filling with the border colour."""
    if abs(angle) < 0.5:
        return image
    return image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=_border_colour(image))


def estimate_skew(image: Image.Image, limit: float = 12.0) -> float:
    """Angle (degrees, counter-clockwise) that makes text lines horizontal: projection profile."""
    small = ImageOps.grayscale(image)
    small = small.resize((400, max(1, round(400 * small.height / small.width))), Image.BILINEAR)
    strokes = ImageChops.subtract(small.filter(ImageFilter.BoxBlur(6)), small).point(
        lambda v: 255 if v > 18 else 0)
    best = max(_frange(-limit, limit, 1.0), key=lambda a: _sharpness(strokes, a))
    return max(_frange(best - 0.9, best + 0.9, 0.3), key=lambda a: _sharpness(strokes, a))


def crop_card(image: Image.Image) -> Image.Image:
    """The card's bounding box when it lies on a background that differs from it, else the image."""
    border = _border_colour(image)
    diff = ImageChops.difference(image, Image.new("RGB", image.size, border)).convert("L")
    mask = diff.point(lambda v: 255 if v > 45 else 0).filter(ImageFilter.MinFilter(5))
    box = mask.getbbox()
    if not box:
        return image
    w, h = box[2] - box[0], box[3] - box[1]
    if w < image.width * 0.3 or h < image.height * 0.2:
        return image
    return image.crop(box)


def _sharpness(strokes: Image.Image, angle: float) -> float:
    rotated = strokes.rotate(angle, resample=Image.NEAREST, expand=True)
    rows = rotated.resize((1, rotated.height), Image.BOX).tobytes()
    return sum((a - b) ** 2 for a, b in zip(rows, rows[1:]))


def _frange(start: float, stop: float, step: float) -> list[float]:
    n = int(round((stop - start) / step))
    return [start + i * step for i in range(n + 1)]


def _border_colour(image: Image.Image) -> tuple[int, ...]:
    w, h = image.size
    corners = [image.getpixel((x, y)) for x in (2, w - 3) for y in (2, h - 3)]
    if isinstance(corners[0], int):
        return sorted(corners)[1]
    return tuple(sorted(c[i] for c in corners)[1] for i in range(len(corners[0])))
