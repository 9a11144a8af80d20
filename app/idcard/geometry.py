"""Find the card(s) in a photo or a page, straighten them, turn them upright (Pillow only).

A card lying on a background that differs from it shows as a solid blob on a small mask: its
four corners give a quad that is mapped back to a rectangle (tilt and perspective at once),
widened by a margin so no edge text is cut. An image that is the card itself (no background)
is kept whole. Upright is decided later, by the QR, the MRZ or the printed labels.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFilter, ImageOps

MASK_SIDE = 320          # the longest side of the mask the cards are looked for in
QUAD_MARGIN = 0.035      # widen a found quad by this share of its size on every side
MAX_CARD_SIDE = 1150     # a straightened card is never bigger: ~330 dpi, what OCR reads (OCR_WIDTH)
PAIR_RATIO = (2.6, 3.6)   # two cards side by side in one blob: 2 x 85.6 / 54 = 3.2
STACKED_BELOW = 1.30      # two cards stacked in one blob: 85.6 / (2 x 54) = 0.79, i.e. 1.26
BOX_MARGIN = 0.06        # the same for a region found by its ink only
CARD_ITSELF = (1.5, 1.7)  # an image this shape is the card itself (85.6 / 54 = 1.585; A4 is 1.414)


@dataclass
class CardRegion:
    image: Image.Image
    solid: bool           # found as a solid card on a background (so already straightened)


def rotate_upright(image: Image.Image, angle: float) -> Image.Image:
    """Rotate counter-clockwise by `angle` degrees, filling with the border colour."""
    if abs(angle) < 0.5:
        return image
    return image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=border_colour(image))


def estimate_skew(image: Image.Image, limit: float = 12.0) -> float:
    """Angle (degrees, counter-clockwise) that makes text lines horizontal: projection profile."""
    small = ImageOps.grayscale(image)
    small = small.resize((400, max(1, round(400 * small.height / small.width))), Image.BILINEAR)
    strokes = ImageChops.subtract(small.filter(ImageFilter.BoxBlur(6)), small).point(
        lambda v: 255 if v > 18 else 0)
    best = max(_frange(-limit, limit, 1.0), key=lambda a: _sharpness(strokes, a))
    return max(_frange(best - 0.9, best + 0.9, 0.3), key=lambda a: _sharpness(strokes, a))


def find_cards(image: Image.Image, max_cards: int = 2) -> list[CardRegion]:
    """The card(s) in the image, each cut out with a margin; the whole image when none stands out."""
    scale = MASK_SIDE / max(image.size)
    small = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                         Image.BILINEAR)
    mask = _foreground(small)
    blobs = _components(mask)
    total = mask.width * mask.height
    cards = [b for b in blobs if _card_like(b, total)]
    if _is_the_card(image, cards, total):
        return [CardRegion(image, False)]
    cards = sorted(cards, key=lambda b: -b.area)[:max_cards]
    cards.sort(key=lambda b: (b.box[1] // max(1, mask.height // 4), b.box[0]))  # reading order
    regions = [CardRegion(half, True) for b in cards for half in _halves(_unwarp(image, b, 1 / scale))]
    # Ink outside the solid cards: a card whose colour is close to the background's (a white
    # card on a white page), or the pale MRZ band of one, found by its print alone.
    ink = [b for b in blobs if b not in cards and b.area > total * 0.002
           and not any(_inside(b, c.box) for c in cards)]
    if len(regions) < max_cards and ink and (not regions or sum(b.area for b in ink) > total * 0.01):
        x0, y0 = min(b.box[0] for b in ink), min(b.box[1] for b in ink)
        x1, y1 = max(b.box[2] for b in ink), max(b.box[3] for b in ink)
        regions.append(CardRegion(_crop_with_margin(image, (x0, y0, x1 + 1, y1 + 1), 1 / scale, BOX_MARGIN),
                                  False))
    return regions or [CardRegion(image, False)]


def _is_the_card(image: Image.Image, cards: list[_Blob], total: int) -> bool:
    """A scan cut to the card (no background): shaped like a card, and what stands out in it (the
    photo, the QR, the chip) covers too little of it to be a card lying in the picture."""
    ratio = max(image.size) / max(1, min(image.size))
    small_parts = bool(cards) and max(b.area for b in cards) < 0.3 * total
    return CARD_ITSELF[0] < ratio < CARD_ITSELF[1] and small_parts


def _inside(blob: _Blob, box: tuple[int, int, int, int]) -> bool:
    cx, cy = (blob.box[0] + blob.box[2]) / 2, (blob.box[1] + blob.box[3]) / 2
    return box[0] - 3 <= cx <= box[2] + 3 and box[1] - 3 <= cy <= box[3] + 3


def landscape(image: Image.Image) -> Image.Image:
    """A card is wider than tall: a portrait region is a card on its side (90 or 270 degrees)."""
    if image.height > image.width * 1.1:
        return image.rotate(90, expand=True)
    return image


def fit_width(image: Image.Image, low: int, high: int) -> Image.Image:
    """Resize so the width lies in [low, high]: tesseract is slow on big images, blind on tiny ones."""
    if low <= image.width <= high:
        return image
    width = low if image.width < low else high
    return image.resize((width, max(1, round(image.height * width / image.width))), Image.LANCZOS)


# --- masks and blobs ------------------------------------------------------------------------

@dataclass
class _Blob:
    runs: list[tuple[int, int, int]]    # (y, x0, x1) with x1 inclusive
    box: tuple[int, int, int, int]      # inclusive
    area: int


def _foreground(small: Image.Image) -> Image.Image:
    border = Image.new("RGB", small.size, border_colour(small))
    r, g, b = ImageChops.difference(small, border).split()
    diff = ImageChops.lighter(ImageChops.lighter(r, g), b)
    mask = diff.point(lambda v: 255 if v > 22 else 0)
    return mask.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.MinFilter(5))


def _components(mask: Image.Image) -> list[_Blob]:
    """Connected blobs, labelled by runs of a row (fast in Python: a few runs per row)."""
    w, h = mask.size
    data = mask.tobytes()
    runs: list[tuple[int, int, int]] = []
    parent: list[int] = []

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    previous: list[int] = []
    for y in range(h):
        row = data[y * w:(y + 1) * w]
        current = []
        for m in re.finditer(rb"\xff+", row):
            index = len(runs)
            runs.append((y, m.start(), m.end() - 1))
            parent.append(index)
            current.append(index)
            for other in previous:
                _, ox0, ox1 = runs[other]
                if ox0 <= m.end() - 1 and m.start() <= ox1:
                    a, b = root(index), root(other)
                    if a != b:
                        parent[a] = b
        previous = current
    groups: dict[int, list[tuple[int, int, int]]] = {}
    for index, run in enumerate(runs):
        groups.setdefault(root(index), []).append(run)
    blobs = []
    for members in groups.values():
        xs0, xs1, ys = [r[1] for r in members], [r[2] for r in members], [r[0] for r in members]
        blobs.append(
            _Blob(members, (min(xs0), min(ys), max(xs1), max(ys)), sum(r[2] - r[1] + 1 for r in members))
        )
    return blobs


def _card_like(blob: _Blob, total: int) -> bool:
    """Solid, big enough, not the whole frame, and shaped like a card once its corners are known."""
    area = blob.area
    if area < total * 0.04 or area > total * 0.97:
        return False
    tl, tr, br, bl = _corners(blob)
    width = (_dist(tl, tr) + _dist(bl, br)) / 2
    height = (_dist(tl, bl) + _dist(tr, br)) / 2
    quad_area = _polygon_area((tl, tr, br, bl))
    if not width or not height or quad_area <= 0:
        return False
    ratio = max(width, height) / min(width, height)
    return area / quad_area > 0.85 and (1.15 < ratio < 2.2 or PAIR_RATIO[0] < ratio < PAIR_RATIO[1])


def _halves(region: Image.Image) -> list[Image.Image]:
    """Two cards touching (side by side: twice as long as a card; stacked: nearly square) make one
    solid blob: cut it in two across its long side."""
    w, h = region.size
    ratio = max(w, h) / min(w, h)
    if not (PAIR_RATIO[0] < ratio < PAIR_RATIO[1] or ratio < STACKED_BELOW):
        return [region]
    if w >= h:
        return [region.crop((0, 0, w // 2, h)), region.crop((w // 2, 0, w, h))]
    return [region.crop((0, 0, w, h // 2)), region.crop((0, h // 2, w, h))]


def _corners(blob: _Blob) -> tuple:
    tl = min(((x0, y) for y, x0, _ in blob.runs), key=lambda p: p[0] + p[1])
    bl = min(((x0, y) for y, x0, _ in blob.runs), key=lambda p: p[0] - p[1])
    br = max(((x1, y) for y, _, x1 in blob.runs), key=lambda p: p[0] + p[1])
    tr = max(((x1, y) for y, _, x1 in blob.runs), key=lambda p: p[0] - p[1])
    return tl, tr, br, bl


def _unwarp(image: Image.Image, blob: _Blob, scale: float) -> Image.Image:
    tl, tr, br, bl = [((x + 0.5) * scale, (y + 0.5) * scale) for x, y in _corners(blob)]
    cx, cy = sum(p[0] for p in (tl, tr, br, bl)) / 4, sum(p[1] for p in (tl, tr, br, bl)) / 4
    grow = 1 + 2 * QUAD_MARGIN
    quad = [(cx + (x - cx) * grow, cy + (y - cy) * grow) for x, y in (tl, bl, br, tr)]
    width = (_dist(tl, tr) + _dist(bl, br)) / 2 * grow
    height = (_dist(tl, bl) + _dist(tr, br)) / 2 * grow
    shrink = min(1.0, MAX_CARD_SIDE / max(width, height, 1))  # no need for more pixels than OCR uses
    size = (max(1, round(width * shrink)), max(1, round(height * shrink)))
    flat = [c for p in quad for c in p]
    return image.transform(size, Image.QUAD, flat, Image.BICUBIC, fillcolor=border_colour(image))


def _crop_with_margin(image: Image.Image, box, scale: float, margin: float) -> Image.Image:
    x0, y0, x1, y1 = (v * scale for v in box)
    mx, my = (x1 - x0) * margin, (y1 - y0) * margin
    return image.crop((max(0, int(x0 - mx)), max(0, int(y0 - my)),
                       min(image.width, int(x1 + mx)), min(image.height, int(y1 + my))))


def _dist(a, b) -> float:
    return ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5


def _polygon_area(points) -> float:
    return abs(sum(points[i][0] * points[i - 1][1] - points[i - 1][0] * points[i][1]
                   for i in range(len(points)))) / 2


def _sharpness(strokes: Image.Image, angle: float) -> float:
    rotated = strokes.rotate(angle, resample=Image.NEAREST, expand=True)
    rows = rotated.resize((1, rotated.height), Image.BOX).tobytes()
    return sum((a - b) ** 2 for a, b in zip(rows, rows[1:], strict=False))


def _frange(start: float, stop: float, step: float) -> list[float]:
    n = int(round((stop - start) / step))
    return [start + i * step for i in range(n + 1)]


def border_colour(image: Image.Image) -> tuple[int, ...] | int:
    w, h = image.size
    corners = [
        image.getpixel((x, y)) for x in (min(2, w - 1), max(0, w - 3)) for y in (min(2, h - 1), max(0, h - 3))
    ]
    if isinstance(corners[0], int):
        return sorted(corners)[1]
    return tuple(sorted(c[i] for c in corners)[1] for i in range(len(corners[0])))
