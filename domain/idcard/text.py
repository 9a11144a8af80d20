"""Small text helpers shared by the parsers: diacritics, dates, sex words."""
from __future__ import annotations

import re
import unicodedata
from datetime import date

_DATE_SEP = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")


def strip_diacritics(text: str) -> str:
    """'Nguyễn Đức' -> 'Nguyen Duc' (đ/Đ are letters of their own, not combined marks)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower-case, diacritics stripped, spaces collapsed: for matching labels and comparing."""
    return " ".join(strip_diacritics(text).lower().split())


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def make_date(day: int, month: int, year: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_ddmmyyyy(text: str) -> date | None:
    """'15011990' (QR) -> date(1990, 1, 15)."""
    if len(text) != 8 or not text.isdigit():
        return None
    return make_date(int(text[:2]), int(text[2:4]), int(text[4:]))


def find_dates(text: str) -> list[date]:
    """All dd/mm/yyyy dates printed in a piece of text, in order."""
    found = []
    for m in _DATE_SEP.finditer(text):
        d = make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            found.append(d)
    return found


def normalize_sex(text: str) -> str | None:
    """'Nam', 'NAM', 'M', 'male' -> 'Nam'; 'Nữ', 'Nu', 'F', 'female' -> 'Nữ'."""
    word = fold(text).strip(" .:;,")
    if word in ("nam", "m", "male"):
        return "Nam"
    if word in ("nu", "f", "female", "nut", "nir"):
        return "Nữ"
    return None


def title_name(name: str) -> str:
    """'NGUYỄN VĂN AN' -> 'Nguyễn Văn An' (Vietnamese names capitalise every word)."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in name.split())


_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng


def tone_key(text: str) -> str:
    """The same key for old and new tone-mark placement ('Thủy'/'Thuỷ', 'Hòa'/'Hoà'): each word's
    tone mark is taken off its vowel and put at the word's end; case and spacing are ignored."""
    words = []
    for word in unicodedata.normalize("NFD", text).casefold().split():
        tones = "".join(c for c in word if c in _TONES)
        words.append(unicodedata.normalize("NFC", "".join(c for c in word if c not in _TONES)) + tones)
    return " ".join(words)
