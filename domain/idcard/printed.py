"""Parse the OCR'd printed text of both card models (2021 chip CCCD, 2024 căn cước).

Labels are bilingual ("Họ và tên / Full name:"); OCR often loses a diacritic or a letter of a
label, so labels are matched on folded text (lower case, no diacritics) and either language
is enough. Values are cut from the original text, so they keep their diacritics.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .text import find_dates, nfc, normalize_sex, strip_diacritics

LABELS: dict[str, str] = {
    "full_name": r"ho,? chu dem va ten(?: khai sinh)?|ho va ten|full ?name|surname,? middle name"
                 r"(?: and given name)?",
    "id_number": r"so dinh danh ca nhan|personal identification number|(?<![a-z])so\s*/\s*no\b\.?",
    "date_of_birth": r"ngay,? thang,? nam sinh|ngay sinh|date of birth",
    "sex": r"gioi tinh|(?<![a-z])sex\b",
    "nationality": r"quoc tich|nationality",
    "place_of_origin": r"que quan|place of origin",
    "place_of_residence": r"noi thuong tru|noi cu tru|place of residence",
    "place_of_birth": r"noi dang ky khai sinh|place of birth(?: registration)?",
    "expiry_date": r"co [dg]ia tri den|date of \S?xp[il1j]\S?y|ngay,? thang,? nam [a-z]?et h[a-z]n",
    "issue_date": r"ngay,? thang,? nam cap|date of issue|ngay,? thang,? nam(?! sinh)|date,? month,? year",
}
_LABEL_RE = re.compile("|".join(f"(?P<{k}>{v})" for k, v in LABELS.items()))
_TRIM = " /:.;,|-_'\"‘’“”"
NO_EXPIRY = re.compile(r"kh[o0]ng\s*th[o0][il1]\s*h[a4]n")  # folded "Không thời hạn", OCR slips
_TO_DIGIT = str.maketrans("OoQDIlLSBZ", "0000111582")
_MODEL_2024 = re.compile(r"so dinh danh ca nhan|personal identification number|noi cu tru"
                         r"|noi dang ky khai sinh|ministry of public security")
_MODEL_2021 = re.compile(r"can cuoc cong dan|citizen identity|noi thuong tru|que quan|cuc canh sat")


@dataclass
class PrintedData:
    id_number: str | None = None
    full_name: str | None = None
    date_of_birth: date | None = None
    sex: str | None = None
    nationality: str | None = None
    place_of_origin: str | None = None
    place_of_residence: str | None = None
    place_of_birth: str | None = None
    issue_date: date | None = None
    expiry_date: date | None = None
    card_model: str | None = None
    no_expiry: bool = False     # "Không thời hạn" printed where the expiry goes
    expiry_text: str | None = None  # what was printed after the expiry label when no date parsed

    def fields(self) -> dict:
        skip = ("card_model", "no_expiry", "expiry_text")
        return {k: v for k, v in self.__dict__.items() if v is not None and k not in skip}


def fold_aligned(text: str) -> str:
    """Like text.fold, but one output character per input character, so indices line up."""
    return "".join((strip_diacritics(c).lower() or " ")[0] for c in text)


def parse_printed_text(text: str) -> PrintedData:
    lines = [nfc(x).strip() for x in text.splitlines()]
    lines = [x for x in lines if x]
    data = PrintedData()
    found: dict[str, str] = {}
    for i, line in enumerate(lines):
        for key, value in _labelled_values(line):
            if key in found and found[key]:
                continue
            found[key] = value or _next_unlabelled(lines, i) or ""
            if key == "place_of_residence" or (key in ("place_of_origin", "place_of_birth") and value):
                found[key] = _with_continuation(found[key], lines, i, value)
    _fill(data, found, lines)
    folded_all = fold_aligned(text)
    data.no_expiry = data.expiry_date is None and bool(NO_EXPIRY.search(folded_all))
    if data.expiry_date is None and not data.no_expiry and found.get("expiry_date"):
        data.expiry_text = found["expiry_date"][:24]
    data.card_model = ("2021" if _MODEL_2021.search(folded_all)
                       else "2024" if _MODEL_2024.search(folded_all) else None)
    return data


def _labelled_values(line: str) -> list[tuple[str, str]]:
    folded = fold_aligned(line)
    matches = list(_LABEL_RE.finditer(folded))
    groups: list[tuple[str, int, int]] = []
    for m in matches:
        # one label in two languages: nothing but separators between them ('/' may be read '#')
        if groups and groups[-1][0] == m.lastgroup and not re.search(r"\w", folded[groups[-1][2]:m.start()]):
            groups[-1] = (m.lastgroup, groups[-1][1], m.end())
        else:
            groups.append((m.lastgroup, m.start(), m.end()))
    out = []
    for n, (key, _, end) in enumerate(groups):
        stop = groups[n + 1][1] if n + 1 < len(groups) else len(line)
        out.append((key, line[end:stop].strip(_TRIM)))
    return out


def _next_unlabelled(lines: list[str], i: int) -> str | None:
    if i + 1 < len(lines) and not _LABEL_RE.search(fold_aligned(lines[i + 1])):
        return lines[i + 1].strip(_TRIM)
    return None


def _with_continuation(value: str, lines: list[str], i: int, same_line_value: str) -> str:
    """Addresses run on to the next line when that line carries no label and no date."""
    start = i + 1 if same_line_value else i + 2
    if start < len(lines):
        nxt = lines[start]
        nxt = re.sub(r"^[^\w\s]+\s*|^[a-zA-Z]\s+(?=[A-ZĐ])", "", nxt)  # OCR specks before the text
        other_field = _LABEL_RE.search(fold_aligned(nxt)) or NO_EXPIRY.search(fold_aligned(nxt))
        if not other_field and not find_dates(nxt) and "," in value + nxt:
            value = (
                f"{value}, {nxt.strip(_TRIM)}" if not value.endswith(",") else f"{value} {nxt.strip(_TRIM)}"
            )
    return " ".join(value.split())


def _fill(data: PrintedData, found: dict[str, str], lines: list[str]) -> None:
    data.id_number = _find_id(found.get("id_number", ""), lines)
    name = found.get("full_name", "")
    if name and sum(c.isupper() for c in name) >= 0.6 * sum(c.isalpha() for c in name):
        data.full_name = " ".join(w for w in name.split() if any(c.isalpha() for c in w)) or None
    for key in ("date_of_birth", "expiry_date", "issue_date"):
        dates = find_dates(_digits_in_dates(found.get(key, "")))
        if dates:
            setattr(data, key, dates[0])
    sex = found.get("sex", "").split()
    data.sex = normalize_sex(sex[0]) if sex else None
    nationality = found.get("nationality", "")
    if nationality:
        data.nationality = "Việt Nam" if re.search(r"vi[eệê]t\s*nam", nationality, re.I) else nationality
    for key in ("place_of_origin", "place_of_residence", "place_of_birth"):
        if found.get(key):
            setattr(data, key, found[key])


def _digits_in_dates(text: str) -> str:
    return re.sub(r"[0-9OoIlSB/]{8,10}", lambda m: m.group(0).translate(_TO_DIGIT), text)


def _find_id(labelled: str, lines: list[str]) -> str | None:
    for n, candidate_text in enumerate([labelled, *lines]):
        min_digits = 6 if n == 0 else 10  # a labelled value may have more OCR slips
        compact = re.sub(r"(?<=\w) (?=\w)", "", candidate_text)
        for token in re.findall(r"[0-9OoQDIlSBZ]{12,}", compact):
            digits = token.translate(_TO_DIGIT)
            if len(digits) == 12 and digits.isdigit() and sum(c.isdigit() for c in token) >= min_digits:
                return digits
    return None
