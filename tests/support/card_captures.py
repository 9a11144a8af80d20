"""How clerks really capture a card: tilted phone photos, sideways, both sides in one picture,
A4 flatbed scans at 150 dpi, PDFs and Word files, heavy JPEG, motion blur.

    files = make_capture(random_person(7), "2021", "a4_both", seed=3)   # [(name, bytes), ...]
"""
from __future__ import annotations

import io
import math
import random

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from .cards import QR_BOX, draw_side, to_bytes

CAPTURES = ("tilted", "perspective30", "rot90", "rot180", "rot270", "side_by_side", "stacked",
            "a4_single", "a4_both", "pdf2", "docx", "jpeg20", "motion_blur", "motion_blur_any", "qr_covered",
            "flat_scan")
_BACKGROUNDS = [(96, 92, 88), (60, 70, 60), (150, 120, 90), (40, 40, 48), (180, 170, 160)]


def make_capture(person: dict, model: str, capture: str, seed: int = 0,
                 dpi: int = 300) -> list[tuple[str, bytes]]:
    """The file(s) a clerk would upload for both sides of the card, captured as `capture` says,
    the card photographed at `dpi` (the A4 captures are 150-dpi pages whatever `dpi` is); a
    600-dpi photo is a phone's close-up: uneven light, slightly out of focus, sensor noise."""
    rng = random.Random(seed)
    front, back = (
        _rounded(_card(person, model, side, capture == "qr_covered", dpi)) for side in ("front", "back")
    )
    bg = rng.choice(_BACKGROUNDS)
    if capture in ("side_by_side", "stacked"):
        return [("both.jpg", _jpeg(_tilt(_pair(front, back, capture == "stacked", bg), rng, bg)))]
    if capture == "a4_single":
        return [(f"{n}.jpg", _jpeg(_a4([card], rng), 85)) for n, card in (("front", front), ("back", back))]
    if capture == "a4_both":
        return [("scan.jpg", _jpeg(_a4([front, back], rng), 85))]
    if capture == "pdf2":
        return [("scan.pdf", _pdf([_a4([front], rng), _a4([back], rng)]))]
    if capture == "flat_scan":  # a scanner's crop to the card itself: no background, no camera
        return [(f"{n}.jpg", _jpeg(_card(person, model, n, False, dpi))) for n in ("front", "back")]
    if capture == "docx":
        return [("scan.docx", _docx([_photo(c, bg) for c in (front, back)]))]
    quality = 20 if capture == "jpeg20" else 90
    if dpi >= 600:  # a phone camera close up: uneven light, a little out of focus, sensor noise
        return [(f"{n}.jpg", _jpeg(_camera(_capture_one(card, capture, rng, bg, dpi / 300), rng), quality))
                for n, card in (("front", front), ("back", back))]
    return [(f"{n}.jpg", _jpeg(_capture_one(card, capture, rng, bg, dpi / 300), quality))
            for n, card in (("front", front), ("back", back))]


def _capture_one(card: Image.Image, capture: str, rng: random.Random, bg, scale: float = 1) -> Image.Image:
    photo = _photo(card, bg)
    if capture == "tilted":
        return _tilt(photo, rng, bg)
    if capture == "perspective30":
        w, h = photo.size
        d = int(w * 0.13)  # a camera leaning ~30 degrees: the far edge is ~25 % shorter
        quad = (d, 0, 0, h, w, h, w - d, 0) if rng.random() < 0.5 else (0, 0, d, h, w - d, h, w, 0)
        return photo.transform(photo.size, Image.QUAD, quad, Image.BICUBIC, fillcolor=bg)
    if capture in ("rot90", "rot180", "rot270"):
        turned = photo.rotate(int(capture[3:]), expand=True)
        return turned.rotate(rng.uniform(-4, 4), resample=Image.BICUBIC, expand=True, fillcolor=bg)
    if capture == "qr_covered":  # a thumb or a sticker over the QR: tilted, QR unreadable
        return _tilt(photo, rng, bg)
    if capture == "motion_blur":
        return _motion_blur(_tilt(photo, rng, bg), round(rng.randint(6, 10) * scale))
    if capture == "motion_blur_any":  # the hand moving in any direction
        return _motion_blur(_tilt(photo, rng, bg), round(rng.randint(6, 10) * scale), rng.uniform(0, math.pi))
    return photo  # jpeg20: the damage is in the encoding


def _camera(photo: Image.Image, rng: random.Random) -> Image.Image:
    photo = photo.filter(ImageFilter.GaussianBlur(rng.uniform(1.0, 2.0)))
    pixels = np.asarray(photo, dtype=np.float32)
    h, w = pixels.shape[:2]
    angle = rng.uniform(0, 2 * math.pi)
    ramp = np.cos(angle) * np.linspace(-1, 1, w)[None, :] + np.sin(angle) * np.linspace(-1, 1, h)[:, None]
    light = 0.9 + 0.12 * ramp  # one side in the shade of the hand or the phone
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, 7, pixels.shape)
    return Image.fromarray(np.clip(pixels * light[..., None] + noise, 0, 255).astype(np.uint8))


def _card(person: dict, model: str, side: str, cover_qr: bool, dpi: int = 300) -> Image.Image:
    card = draw_side(person, model, side, dpi)
    if cover_qr and (model, side) in QR_BOX:
        x0, y0, x1, y1 = (round(v * dpi / 300) for v in QR_BOX[(model, side)])
        pad = round(6 * dpi / 300)
        ImageDraw.Draw(card).rectangle((x0 - pad, y0 - pad, x1 + pad, y1 + pad), fill=(150, 120, 100))
    return card


def _rounded(card: Image.Image) -> Image.Image:
    mask = Image.new("L", card.size, 0)
    corners = card.width // 28
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, card.width - 1, card.height - 1), corners, fill=255)
    card = card.convert("RGBA")
    card.putalpha(mask)
    return card


def _photo(card: Image.Image, bg, pad: int = 90) -> Image.Image:
    out = Image.new("RGB", (card.width + 2 * pad, card.height + 2 * pad), bg)
    out.paste(card, (pad, pad), card)
    return out


def _tilt(photo: Image.Image, rng: random.Random, bg) -> Image.Image:
    angle = rng.uniform(3, 10) * rng.choice((-1, 1))
    return photo.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=bg)


def _pair(front: Image.Image, back: Image.Image, stacked: bool, bg) -> Image.Image:
    gap, pad = 70, 80
    CARD_W, CARD_H = front.size  # noqa: N806
    if stacked:
        size = (CARD_W + 2 * pad, 2 * CARD_H + gap + 2 * pad)
        at = ((pad, pad), (pad, pad + CARD_H + gap))
    else:
        size = (2 * CARD_W + gap + 2 * pad, CARD_H + 2 * pad)
        at = ((pad, pad), (pad + CARD_W + gap, pad))
    out = Image.new("RGB", size, bg)
    for card, xy in zip((front, back), at, strict=False):
        out.paste(card, xy, card)
    return out


def _a4(cards: list[Image.Image], rng: random.Random) -> Image.Image:
    """A flatbed page at 150 dpi: the card at its real size (85.6 mm = 505 px) near a corner."""
    page = Image.new("RGB", (1240, 1754), (250, 250, 247))
    w, h = 505, 319
    x, y = rng.randint(40, 120), rng.randint(40, 120)
    for card in cards:
        small = card.resize((w, h), Image.LANCZOS)
        page.paste(small, (x, y), small)
        y += h + rng.randint(60, 160)
    return page


def _motion_blur(image: Image.Image, length: int, angle: float | None = None) -> Image.Image:
    out = image
    for i in range(1, length):
        step = (i, i // 3) if angle is None else (round(i * math.cos(angle)), round(i * math.sin(angle)))
        shifted = ImageChops.offset(image, *step)
        out = Image.blend(out, shifted, 1 / (i + 1))
    return out


def _jpeg(image: Image.Image, quality: int = 90) -> bytes:
    return to_bytes(image.convert("RGB"), "JPEG", quality=quality)


def _pdf(pages: list[Image.Image]) -> bytes:
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], resolution=150)
    return buf.getvalue()


def _docx(images: list[Image.Image]) -> bytes:
    from docx import Document
    from docx.shared import Mm
    doc = Document()
    doc.add_paragraph("Bản chụp căn cước")
    for image in images:
        doc.add_picture(io.BytesIO(_jpeg(image)), width=Mm(110))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
