"""Text folding for search and the one-stop section marker (SPEC A5)."""

from __future__ import annotations

import re
import unicodedata

ONE_STOP_MARKER = "Bộ phận Một cửa"
_WHITESPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, no diacritics, đ -> d, whitespace collapsed: 'Nguyễn  Văn An' -> 'nguyen van an'."""
    # đ/Đ are letters of their own, not d + a mark, so NFKD alone would keep them.
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WHITESPACE.sub(" ", stripped.casefold()).strip()


def _marker_form(text: str) -> str:
    # NFC before and after casefold: the same words typed in NFD (macOS, some IMEs) compare equal.
    nfc = unicodedata.normalize("NFC", text)
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", nfc.casefold()))


def contains_one_stop_marker(unit_name: str | None) -> bool:
    """A5: the unit name contains 'Bộ phận Một cửa', case-insensitively, diacritics required."""
    if not unit_name:
        return False
    return _marker_form(ONE_STOP_MARKER) in _marker_form(unit_name)
