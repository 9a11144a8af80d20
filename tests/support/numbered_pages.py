"""Scan pages that say which page they are, twice: a big printed number (read back by OCR) and a
colour of their own (read back from a thumbnail). Used to prove that a copy keeps the page order."""
from __future__ import annotations

import colorsys
import io

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"
HUES = 15  # distinct colours; page n gets hue (n - 1) / HUES


def page_colour(number: int) -> tuple[int, int, int]:
    r, g, b = colorsys.hsv_to_rgb(((number - 1) % HUES) / HUES, 0.9, 0.9)
    return int(r * 255), int(g * 255), int(b * 255)


def numbered_page_jpeg(number: int, dpi: int = 50) -> bytes:
    """An A4 page: the number large in the top half, a block of the page's colour below it."""
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((width // 2, height // 4), str(number), fill="black", anchor="mm",
              font=ImageFont.truetype(FONT, height // 5))
    draw.rectangle((width // 8, height // 2, width * 7 // 8, height * 7 // 8), fill=page_colour(number))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=90, dpi=(dpi, dpi))
    return buf.getvalue()


def colour_number(image: Image.Image) -> int:
    """Which page's colour fills the block of this page picture (upright, any size)."""
    rgb = image.convert("RGB")
    w, h = rgb.size
    block = rgb.crop((w * 3 // 8, h * 5 // 8, w * 5 // 8, h * 6 // 8)).resize((1, 1), Image.Resampling.BOX)
    seen = block.getpixel((0, 0))
    return min(range(1, HUES + 1),
               key=lambda n: sum((a - b) ** 2 for a, b in zip(seen, page_colour(n), strict=True)))


def printed_number(image: Image.Image) -> int | None:
    """The big number printed in the top half, read by tesseract."""
    import pytesseract

    grey = image.convert("L")
    w, h = grey.size
    top = grey.crop((0, h // 10, w, h * 4 // 10))
    text = pytesseract.image_to_string(top, config="--psm 7 -c tessedit_char_whitelist=0123456789")
    digits = "".join(c for c in text if c.isdigit())
    return int(digits) if digits else None


def pdf_page_images(pdf: bytes, scale: float = 1.0) -> list[Image.Image]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].render(scale=scale).to_pil() for i in range(len(doc))]
    finally:
        doc.close()
