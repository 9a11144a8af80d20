"""A small Vietnamese stamp font derived once from Noto Sans (units-per-em 1000).

pyHanko subsets the stamp font at every signature; with the full Noto Sans, fontTools spends
most of a signature decompiling the layout tables (GSUB/GPOS for every script). The stamp font
keeps only Latin + Vietnamese (precomposed letters, combining marks, punctuation, ₫) and drops
the layout tables: stamp text is NFC-normalised so every Vietnamese letter is one glyph.
"""
from __future__ import annotations

import os
import tempfile
import unicodedata
from functools import lru_cache
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

NOTO_SANS = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"
_RANGES = ((0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x36F), (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x20AB, 0x20AC))


@lru_cache(maxsize=4)
def stamp_font(source: str = NOTO_SANS) -> str:
    """Path of the derived font, built on first use into the temp dir (or $SIGNING_FONT_CACHE)."""
    stat = os.stat(source)
    cache = Path(os.environ.get("SIGNING_FONT_CACHE") or Path(tempfile.gettempdir()) / "chungthuc-fonts")
    target = cache / f"{Path(source).stem}-vi-nohint-{stat.st_size}-{int(stat.st_mtime)}.ttf"
    if not target.exists():
        cache.mkdir(parents=True, exist_ok=True)
        font = TTFont(source)
        options = subset.Options()
        options.layout_features = []
        options.drop_tables += ["GSUB", "GPOS", "GDEF"]
        options.notdef_outline = True
        options.hinting = False  # stamps are vector text in a PDF: no TrueType hinting needed
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[u for lo, hi in _RANGES for u in range(lo, hi + 1)])
        subsetter.subset(font)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        font.save(str(tmp))
        os.replace(tmp, target)
    return str(target)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
