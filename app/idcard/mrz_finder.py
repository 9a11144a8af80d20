"""Find the MRZ in the bottom band of a straightened card and read it with a restricted alphabet."""
from __future__ import annotations

from PIL import Image, ImageOps

from domain.idcard.mrz import MrzData, find_td1_lines, parse_td1

from .ocr import MRZ_CHARS, TesseractOcr

MRZ_WIDTH = 850
RETRY_WIDTHS = (1000, 700)  # a second read when a check digit failed: another scale, other misreads


def read_mrz(card: Image.Image, ocr: TesseractOcr, id_century: int | None = None,
             width: int = MRZ_WIDTH) -> MrzData | None:
    band = card.crop((0, int(card.height * 0.62), card.width, card.height))
    band = ImageOps.grayscale(band)
    if band.width != width:  # the MRZ glyphs are large: 850 px across reads them, and fast
        band = band.resize((width, round(width * band.height / band.width)), Image.LANCZOS)
    text = ocr.image_to_text(band, lang="eng", psm=6, whitelist=MRZ_CHARS)
    lines = find_td1_lines(text)
    if not lines:
        return None
    try:
        return parse_td1(lines, id_century)
    except ValueError:
        return None


def looks_like_back(text: str) -> bool:
    """Printed-text OCR of a card side that carries an MRZ shows runs of fillers or IDVNM."""
    compact = text.replace(" ", "").upper()
    return "<<<" in compact or "IDVNM" in compact or "VNM<" in compact
