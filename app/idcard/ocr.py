"""Tesseract wrapper (the OcrEngine port). One thread per call: on 2 cores OpenMP makes it slower."""
from __future__ import annotations

import os

from PIL import Image

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import pytesseract  # noqa: E402

MRZ_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"


class TesseractOcr:
    def __init__(self, text_lang: str = "Vietnamese+vie", timeout: float = 20):
        self.text_lang = text_lang
        self.timeout = timeout

    def image_to_text(self, image: Image.Image, lang: str | None = None, psm: int = 3,
                      whitelist: str | None = None) -> str:
        config = f"--psm {psm}"
        if whitelist:
            config += f" -c tessedit_char_whitelist={whitelist}"
        return pytesseract.image_to_string(image, lang=lang or self.text_lang, config=config,
                                           timeout=self.timeout)

    def orientation(self, image: Image.Image) -> int:
        """Degrees the page is rotated (0, 90, 180, 270), by tesseract's orientation detection."""
        try:
            osd = pytesseract.image_to_osd(image, config="--psm 0", timeout=self.timeout)
        except pytesseract.TesseractError:
            return 0
        for line in osd.splitlines():
            if line.startswith("Rotate:"):
                return int(line.split(":")[1])
        return 0
