"""Checks on values read from the printed text before they fill a field: printed labels left in
the value, the closed list of nationalities, places against the administrative units, the expiry rule."""
from __future__ import annotations

import re
from datetime import date, timedelta
from difflib import SequenceMatcher

from .admin_units import CLOSE, check_units, has_list, same_unit
from .text import fold, tone_key
from .units import match_province, province_part

_LABEL_PHRASES = ("place of origin", "place of residence", "place of birth", "place of birth registration",
                  "noi thuong tru", "noi cu tru", "que quan", "noi dang ky khai sinh", "quoc tich",
                  "nationality", "date of expiry", "co gia tri den", "full name", "ho va ten")
NATIONALITIES = ("Việt Nam",)


def strip_labels(value: str) -> str:
    """Drop a printed label (or its OCR variant: 'Place of ©rigin', 'Nơi thường, trú') that the
    parser left at the start or the end of a value."""
    for head in (True, False):
        while value:
            words = value.split()
            best, best_n = 0.0, 0
            for n in range(1, min(5, len(words)) + 1):
                part = " ".join(words[:n] if head else words[-n:])
                score = _label_score(part)
                if score > best:
                    best, best_n = score, n
            if best < 0.8:
                break
            rest = words[best_n:] if head else words[:-best_n]
            value = " ".join(rest).strip(" /:.;,|-_")
    first, sep, rest = value.partition(",")
    if sep and (_label_score(first) >= 0.7 or _label_start(first)):  # a garbled or cut label joined to it
        value = rest.strip(" /:.;,|-_")
    return value


def _label_start(part: str) -> bool:
    """'Pla': the start of an English label cut off (no place name is three bare ASCII letters of one)."""
    word = re.sub(r"^\W+", "", part.strip()).lower()  # '¿ Pla': a speck before it
    english = ("place of origin", "place of residence", "place of birth", "date of expiry", "full name")
    return len(word) >= 3 and word.isascii() and word.isalpha() and any(p.startswith(word) for p in english)


def _label_score(part: str) -> float:
    key = " ".join(re.sub(r"[^a-z ]", " ", fold(part)).split())
    return max(SequenceMatcher(None, key, p).ratio() for p in _LABEL_PHRASES) if len(key) >= 6 else 0.0


def nationality_from(text: str) -> tuple[str | None, bool]:
    """(nationality from the closed list, exact?) — 'Việt Na', 'Việt Nar' are Việt Nam, inexact."""
    key = re.sub(r"[^a-z]", "", fold(text))
    if not key:
        return None, False
    for name in NATIONALITIES:
        target = re.sub(r"[^a-z]", "", fold(name))
        if key == target:
            return name, True
        if SequenceMatcher(None, key, target).ratio() >= 0.75 or (len(key) >= 5 and target.startswith(key)):
            return name, False
    return None, False


_OTHER_FIELD = re.compile(r"kh[o0]ng\s*th[o0][il1]\s*h[a4]n|co gia tri den|date of expiry")


def clean_place(value: str) -> str:
    """A place without what is not part of it: OCR specks before the first word ('ƒ, Phường …',
    'Ệ Phường …'), parts with no word in them, and text of another field ('Không thời hạn')."""
    folded = "".join((fold(c) or " ")[0] for c in value)  # one character per character
    for m in reversed(list(_OTHER_FIELD.finditer(folded))):
        value = value[:m.start()] + value[m.end():]
    parts = [" ".join(p.split()).strip(" _-|.;:'\"") for p in value.split(",")]
    parts = [p for p in parts if re.search(r"\w\w", p)]
    if parts:
        words = parts[0].split()
        while len(words) > 1 and len(words[0]) == 1 and not words[0].isdigit():
            words = words[1:]
        parts[0] = " ".join(words)
    return ", ".join(parts)


def check_place(value: str) -> tuple[str | None, str | None]:
    """(value to fill, warning or None). The last part must name a province or city, the parts
    before it a district and commune of it (or, since July 2025, a commune of it): a slip is
    corrected to the nearest listed unit with a warning; a place whose province or units match
    nothing listed is left out with a warning (it is most likely cut short or misread)."""
    value = clean_place(value)
    head, prefix, province = province_part(value)
    listed, score = match_province(province)
    if listed and prefix:
        listed = listed.removeprefix("TP ")
    if not listed or score < 0.72 or (score < 1.0 and not head):
        return None, f"đọc được «{value}» nhưng không thấy tên tỉnh/thành phố hợp lệ ở cuối; cần nhập tay."
    parts = [p.strip() for p in head.split(",")] if head else []
    units, unit_notes, units_exact = _checked_units(parts, listed)
    notes = (
        []
        if score == 1.0 or units_exact
        else [f"đã sửa tên tỉnh/thành phố «{province}» thành «{listed}» theo danh mục"]
    )  # else its units confirm it
    if units is None:
        return None, (f"đọc được «{value}» nhưng tên quận/huyện, xã/phường không có trong danh mục đơn vị "
                      "hành chính; cần nhập tay.")
    listed_keys = (tone_key(listed), tone_key(listed.removeprefix("TP ")))
    same_province = score == 1.0 and tone_key(province) in listed_keys
    if same_province and units == parts:  # same letters: a slipped mark takes the listed spelling
        return value, None
    fixed = ", ".join([*units, " ".join(x for x in (prefix, province if same_province else listed) if x)])
    notes += unit_notes
    return fixed, ("; ".join(notes) + "; cần kiểm tra.") if notes else None


def _checked_units(parts: list[str], province: str) -> tuple[list[str] | None, list[str], bool]:
    """The parts with their district/commune as listed (None: nothing close), what was corrected,
    and whether the units were found with the same letters."""
    if not parts or not has_list(province):
        return parts, [], False
    units, score = check_units(parts, province)
    if units is None or score < CLOSE or None in units:
        return None, [], False
    tail, notes = [], []
    for read, unit in zip(parts[-len(units):], units, strict=False):
        if same_unit(read, unit):
            tail.append(read)
        else:
            tail.append(unit)
            if score < 1.0:  # other letters, not only a slipped mark
                notes.append(f"đã sửa «{read}» thành «{unit}» theo danh mục đơn vị hành chính")
    return parts[:-len(units)] + tail, notes, score == 1.0


def expiry_by_rule(dob: date, issue: date) -> date | None:
    """The expiry the law gives a card issued on `issue`: the 25th, 40th or 60th birthday, the
    first more than two years after issue; none from 58 on (Luật Căn cước 2023, Điều 21)."""
    for age in (25, 40, 60):
        try:
            birthday = dob.replace(year=dob.year + age)
        except ValueError:  # 29 February
            birthday = date(dob.year + age, 3, 1)
        if (birthday - issue).days > 730:
            return birthday
    return None


def expiry_from_garbled(text: str, dob: date | None, issue: date | None) -> date | None:
    """A printed expiry OCR garbled ('o2;oa/2oaa') that still looks like the one the law gives:
    every digit still legible is that date's digit in its place, and at least five are. A date
    read whole but other than the law's is never replaced (None)."""
    if not (text and dob and issue):
        return None
    expected = expiry_by_rule(dob, issue)
    if expected is None:
        return None
    digits = expected.strftime("%d/%m/%Y")
    read = re.sub(r"\s", "", text)[:10].translate(str.maketrans("OoQDIlSBZ;:,.", "000011582////"))
    if len(read) < 10:
        return None
    pairs = [(a, b) for a, b in zip(read, digits, strict=False) if b.isdigit() and a.isdigit()]
    if any(a != b for a, b in pairs) or len(pairs) < 5:
        return None
    return expected


def expiry_plausible(expiry: date, dob: date | None, issue: date | None, today: date | None = None) -> bool:
    """Cards run to the holder's 25th, 40th or 60th birthday (none from 60 on), after issue; without
    the birth date, no more than 23 years after issue (issued at 38, valid to 60), after 2016."""
    if dob is None:
        latest = (issue or today or date.today()).year + 23
        return 2016 < expiry.year <= latest and (issue is None or expiry > issue)
    birthday = (expiry.month, expiry.day) in (
        (dob.month, dob.day),
        (3, 1) if (dob.month, dob.day) == (2, 29) else (),
    )
    if issue is not None:  # the one date the law gives (a month either side of the two-year rule)
        return expiry in {expiry_by_rule(dob, issue + timedelta(days=d)) for d in (-31, 0, 31)}
    return birthday and expiry.year - dob.year in (25, 40, 60)
