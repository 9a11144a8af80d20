"""Tesseract wrapper (the OcrEngine port). One thread per call: on 2 cores OpenMP makes it slower.

Every call gets at most the time left of the read's budget; a call that runs out raises
OcrTimeout, which the reader turns into a partial result, never an escaping error."""
from __future__ import annotations

import os
import time

from PIL import Image

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import pytesseract  # noqa: E402

MRZ_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
MIN_CALL_SECONDS = 2.0


class OcrTimeout(Exception):
    """Tesseract did not finish within the time left (the machine is busy)."""


class OcrFailed(Exception):
    """Tesseract itself failed on this image."""


class TesseractOcr:
    def __init__(self, text_lang: str = "vie", timeout: float = 30):
        self.text_lang = text_lang
        self.timeout = timeout
        self.deadline: float | None = None  # time.monotonic() value set by the reader per read

    def image_to_text(self, image: Image.Image, lang: str | None = None, psm: int = 3,
                      whitelist: str | None = None) -> str:
        config = f"--psm {psm}"
        if whitelist:
            config += f" -c tessedit_char_whitelist={whitelist}"
        timeout = self._time_left()
        try:
            return pytesseract.image_to_string(image, lang=lang or self.text_lang, config=config,
                                               timeout=timeout)
        except RuntimeError as exc:  # pytesseract's 'Tesseract process timeout'
            raise OcrTimeout(str(exc)) from None
        except pytesseract.TesseractError as exc:
            raise OcrFailed(str(exc)) from None

    def _time_left(self) -> float:
        if self.deadline is None:
            return self.timeout
        left = self.deadline - time.monotonic()
        if left < MIN_CALL_SECONDS:
            raise OcrTimeout("no time left for this read")
        return min(self.timeout, left)
