"""Draw a card at any resolution with the coordinates of the 300-dpi layout: a pen that scales
every position, size and font, so a 600-dpi card has glyphs drawn at 600 dpi, not enlarged."""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

SCALE: ContextVar[float] = ContextVar("card_scale", default=1.0)


@contextmanager
def drawn_at(dpi: int):
    """Cards drawn inside this block are at `dpi` (the layout is at 300 dpi)."""
    token = SCALE.set(dpi / 300)
    try:
        yield
    finally:
        SCALE.reset(token)


@lru_cache(maxsize=64)
def font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


class Pen:
    def __init__(self, img: Image.Image):
        self.s = SCALE.get()
        self.d = ImageDraw.Draw(img)

    def _xy(self, xy):
        return tuple(round(v * self.s) for v in xy)

    def _font(self, f: ImageFont.FreeTypeFont) -> ImageFont.FreeTypeFont:
        return font(f.path, round(f.size * self.s))

    def _w(self, width: int) -> int:
        return max(1, round(width * self.s))

    def text(self, xy, text, font, fill, anchor=None):
        self.d.text(self._xy(xy), text, font=self._font(font), fill=fill, anchor=anchor)

    def textlength(self, text, font) -> float:
        return self.d.textlength(text, font=self._font(font)) / self.s

    def rectangle(self, box, fill=None, outline=None, width=1):
        self.d.rectangle(self._xy(box), fill=fill, outline=outline, width=self._w(width))

    def rounded_rectangle(self, box, radius, fill=None):
        self.d.rounded_rectangle(self._xy(box), round(radius * self.s), fill=fill)

    def ellipse(self, box, fill=None, outline=None):
        self.d.ellipse(self._xy(box), fill=fill, outline=outline, width=self._w(1))

    def arc(self, box, start, end, fill):
        self.d.arc(self._xy(box), start, end, fill=fill, width=self._w(1))

    def line(self, xy, fill, width=1):
        self.d.line(self._xy(xy), fill=fill, width=self._w(width))

    def regular_polygon(self, circle, sides, fill):
        self.d.regular_polygon(self._xy(circle), sides, fill=fill)


def size(w: int, h: int) -> tuple[int, int]:
    s = SCALE.get()
    return round(w * s), round(h * s)


def paste(img: Image.Image, part: Image.Image, xy) -> None:
    s = SCALE.get()
    img.paste(part, (round(xy[0] * s), round(xy[1] * s)))
