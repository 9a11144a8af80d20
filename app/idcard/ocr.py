"""Tesseract wrapper (the OcrEngine port). One thread per call: on 2 cores OpenMP makes it slower.
Tesseract runs in this process (tess_api: its models load once, not at every call) when
libtesseract loads, else as the `tesseract` command through pytesseract.

The read's budget is CPU time (this process and its tesseract children), not wall time: on a
busy machine a read waits for the CPU without running out of it. A call is not started once the
budget is spent, and each call has a wall-clock limit (a hung tesseract) of several times the CPU
left; running out raises OcrTimeout, which the reader turns into a partial result."""
from __future__ import annotations

import os
import resource

from PIL import Image

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import pytesseract  # noqa: E402

from . import tess_api  # noqa: E402

MRZ_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
MIN_CALL_SECONDS = 1.0      # CPU seconds a printed-text call needs at the least
WALL_PER_CPU = 20           # wall limit of one call per CPU second left: load ~18 still finishes


class OcrTimeout(Exception):
    """Tesseract did not finish within the time left (the machine is busy)."""


class OcrFailed(Exception):
    """Tesseract itself failed on this image."""


class TesseractOcr:
    def __init__(self, text_lang: str = "vie", timeout: float = 120, in_process: bool = True):
        self.text_lang = text_lang
        self.timeout = timeout
        self.in_process = in_process and tess_api.available()
        self.calls = 0                       # tesseract calls made (the bench counts them per read)
        self.budget: float | None = None     # CPU seconds of the read, set by the reader per read
        self.started = 0.0                   # cpu_seconds() when the read began

    def image_to_text(self, image: Image.Image, lang: str | None = None, psm: int = 3,
                      whitelist: str | None = None) -> str:
        config = f"--psm {psm}"
        if whitelist:
            config += f" -c tessedit_char_whitelist={whitelist}"
        timeout = self._time_left()
        self.calls += 1
        if self.in_process:
            try:
                return tess_api.recognize(image, lang or self.text_lang, psm, whitelist, timeout)
            except tess_api.TessTimeout as exc:
                raise OcrTimeout(str(exc)) from None
            except tess_api.TessError as exc:
                raise OcrFailed(str(exc)) from None
        try:
            return pytesseract.image_to_string(image, lang=lang or self.text_lang, config=config,
                                               timeout=timeout)
        except RuntimeError as exc:  # pytesseract's 'Tesseract process timeout'
            raise OcrTimeout(str(exc)) from None
        except pytesseract.TesseractError as exc:
            raise OcrFailed(str(exc)) from None

    def start(self, budget: float) -> None:
        self.budget, self.started = budget, cpu_seconds()

    def _time_left(self) -> float:
        if self.budget is None:
            return self.timeout
        left = self.budget - (cpu_seconds() - self.started)
        if left < MIN_CALL_SECONDS:
            raise OcrTimeout("no CPU time left for this read")
        return min(self.timeout, left * WALL_PER_CPU)


def cpu_seconds() -> float:
    """CPU used so far by this process (tesseract in it) and its finished children (the command)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
