"""Text folding for search and the one-stop section marker (SPEC A5)."""

from __future__ import annotations

import re
import unicodedata

ONE_STOP_MARKER = "Bộ phận Một cửa"
_WHITESPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, no diacritics, đ -> d, whitespace collapsed: 'Nguyễn  Văn An' -> 'nguyen van an'."""
    # đ is a letter of its own, not d + a mark, so NFKD alone would keep it.
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WHITESPACE.sub(" ", stripped).strip()


def _marker_form(text: str) -> str:
    # NFC so the same words typed in NFD (macOS, some IMEs) compare equal; diacritics stay.
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text.casefold()))


def contains_one_stop_marker(unit_name: str | None) -> bool:
    """A5: the unit name contains 'Bộ phận Một cửa', case-insensitively, diacritics required."""
    if not unit_name:
        return False
    return _marker_form(ONE_STOP_MARKER) in _marker_form(unit_name)


# A spreadsheet program reads a cell starting with one of these as a formula (or a DDE call).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    """True for text a spreadsheet would evaluate: '=HYPERLINK(…)', '+1', '@SUM…', a leading tab/CR."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_safe(value: object) -> object:
    """A CSV cell that opens as text: formula-like text gets a leading apostrophe (OWASP's advice)."""
    return "'" + value if looks_like_formula(value) else value
