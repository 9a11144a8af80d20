"""ICAO 9303 TD1 machine-readable zone (3 x 30) of Vietnamese ID cards.

Line 1: `IDVNM` + last 9 digits of the ID + check + full 12-digit ID + `<<` + check.
Line 2: birth YYMMDD + check, sex, expiry YYMMDD + check, `VNM`, fillers, composite check.
Line 3: `SURNAME<<GIVEN<NAMES`, without diacritics.

OCR confuses letters and digits. A repair (O->0, I->1, B->8, S->5, Z->2 ... in a digit field)
is kept only when the field's check digit confirms it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .text import make_date

_WEIGHTS = (7, 3, 1)
TO_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "T": "1",
                          "B": "8", "S": "5", "Z": "2", "G": "6", "A": "4"})
TO_LETTER = str.maketrans({"0": "O", "1": "I", "8": "B", "5": "S", "2": "Z", "6": "G", "4": "A"})


def char_value(c: str) -> int:
    if c.isdigit():
        return int(c)
    if "A" <= c <= "Z":
        return ord(c) - ord("A") + 10
    if c == "<":
        return 0
    raise ValueError(f"invalid MRZ character {c!r}")


def check_digit(data: str) -> str:
    return str(sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(data)) % 10)


@dataclass
class MrzData:
    id_number: str | None = None
    date_of_birth: date | None = None
    sex: str | None = None
    expiry_date: date | None = None
    nationality: str | None = None
    surname: str | None = None
    given_names: str | None = None
    no_expiry: bool = False                              # fillers with check 0: "không thời hạn"
    repaired: list[str] = field(default_factory=list)   # fields fixed by a confirmed repair
    failed: list[str] = field(default_factory=list)     # fields whose check digit failed
    line3: str | None = None                             # the raw name line, fillers fixed
    id_tail9: str | None = None          # last 9 ID digits whose own check digit passed
    id_full_checked: str | None = None   # the 12-digit ID whose own check digit passed
    dates_read: dict = field(default_factory=dict)  # a failed date as read: name -> (YYMMDD, check)

    def vouches_for(self, id_number: str) -> bool:
        """Some part of line 1 that passed its check digit matches this printed ID."""
        return bool(id_number) and (self.id_full_checked == id_number or
                                    (self.id_tail9 is not None and id_number[3:] == self.id_tail9))

    def vouches_for_date(self, name: str, value: date | None) -> bool:
        """The printed `value` of a date whose MRZ check failed passes that check digit and differs
        from the MRZ as read in one digit at most: the MRZ misread a digit, the print is right."""
        digits, check = self.dates_read.get(name, ("", ""))
        if value is None or not digits:
            return False
        yymmdd = value.strftime("%y%m%d")
        return check_digit(yymmdd) == check and sum(a != b for a, b in zip(yymmdd, digits, strict=True)) <= 1

    @property
    def confirmed(self) -> list[str]:
        """Fields whose value a check digit confirms."""
        return [k for k in ("id_number", "date_of_birth", "expiry_date") if getattr(self, k) is not None]

    @property
    def name(self) -> str | None:
        """'NGUYEN VAN A' (diacritics are not in the MRZ)."""
        parts = [p for p in (self.surname, self.given_names) if p]
        return " ".join(parts) or None

    def fields(self) -> dict:
        keys = ("id_number", "date_of_birth", "sex", "expiry_date", "nationality")
        return {k: getattr(self, k) for k in keys if getattr(self, k) is not None}


def _repair_digits(value: str, check: str) -> tuple[str | None, bool]:
    """(value, repaired?) if `value`+`check` pass once letters are read as digits, else (None, False)."""
    fixed_value, fixed_check = value.translate(TO_DIGIT), check.translate(TO_DIGIT)
    if not (fixed_value.replace("<", "").isdigit() and fixed_check.isdigit()):
        return None, False
    if check_digit(fixed_value) != fixed_check:
        return None, False
    return fixed_value, (fixed_value, fixed_check) != (value, check)


def clean_line(line: str) -> str:
    """Drop spaces and OCR noise; common misreads of the filler '<' become '<'."""
    line = line.upper().replace(" ", "").replace("«", "<<").replace("‹", "<")
    return re.sub(r"[^A-Z0-9<]", "", line)


def fit_line(line: str, width: int = 30) -> str:
    """Pad or trim the filler run so the line is `width` long (OCR often miscounts '<<<<')."""
    if len(line) == width:
        return line
    if len(line) < width:
        m = re.search(r"<{2,}", line)
        at = m.end() if m else len(line) - 1
        return line[:at] + "<" * (width - len(line)) + line[at:]
    m = re.search(f"<{{{len(line) - width + 1},}}", line)
    if m:
        return line[:m.start()] + line[m.start() + len(line) - width:]
    return line[:width]


def parse_td1(lines: list[str], id_century: int | None = None) -> MrzData:
    """Parse three TD1 lines. Raises ValueError when they are not a TD1 MRZ at all."""
    if len(lines) != 3:
        raise ValueError("a TD1 MRZ has three lines")
    l1, l2, l3 = (clean_line(x) for x in lines)
    l1, l2, l3 = _fit_line1(_fillers_line1(l1)), _fit_line2(_fillers_line2(l2)), fit_line(_fillers_line3(l3))
    if not l1[:5].translate(TO_LETTER).startswith(("IDVNM", "I<VNM", "IDVN")):
        raise ValueError("line 1 does not start with IDVNM")
    mrz = MrzData()
    _read_line1(l1, mrz)
    _read_line2(l1, l2, mrz, id_century)
    _read_line3(l3, mrz)
    return mrz


def _fit_line1(l1: str) -> str:
    """OCR sometimes adds a speck as a character ('IDVNM0Q84...'): drop the one character whose
    removal makes both ID check digits pass."""
    if len(l1) == 31:
        for i in range(5, 29):
            candidate = l1[:i] + l1[i + 1:]
            doc = _repair_digits(candidate[5:14], candidate[14])[0]
            full = _repair_digits(candidate[15:29], candidate[29])[0]
            if doc and full and full[:12].endswith(doc):
                return candidate
    return fit_line(l1)


def _fit_line2(l2: str) -> str:
    """Line 2's long filler run is the optional data before the composite digit: a miscount there
    must not shift the expiry (six fillers on a card without one) or the nationality."""
    if len(l2) == 30:
        return l2
    m = re.search(r"<+(?=.$)", l2)
    if m and m.start() >= 18:
        return l2[:18] + "<" * 11 + l2[-1]
    return fit_line(l2)


def _runs_to_fillers(text: str, pattern: str) -> str:
    return re.sub(pattern, lambda m: "<" * len(m.group(0)), text)


# OCR reads a run of fillers '<<<' as 'KKK' or 'LLL' (and mixes): fillers sit in known places.
def _fillers_line1(l1: str) -> str:
    return _runs_to_fillers(l1, r"[KL<]{2,}(?=[0-9A-Z<]?$)")


def _fillers_line2(l2: str) -> str:
    head, tail = l2[:8], l2[8:]
    tail = _runs_to_fillers(tail, r"^[KL<]{6}(?=[0<KL])")  # no expiry: six fillers
    return head + tail[:10] + _runs_to_fillers(tail[10:], r"[KL<]{2,}")


def _fillers_line3(l3: str) -> str:
    # No Vietnamese name holds KK, LL, KL or LK: such a run is fillers, and so is the tail.
    return _runs_to_fillers(_runs_to_fillers(l3, r"[KL]{2,}"), r"<[KL<]*$")


def _read_line1(l1: str, mrz: MrzData) -> None:
    doc, _ = _repair_digits(l1[5:14], l1[14])
    full, full_ok = _repair_digits(l1[15:29], l1[29])
    full12 = full[:12] if full and full[:12].isdigit() else None
    mrz.id_tail9, mrz.id_full_checked = doc, full12
    if full12 and doc and full12.endswith(doc):  # two check digits agree: one alone passes 1 in 10
        mrz.id_number = full12
        if full_ok:
            mrz.repaired.append("id_number")
    else:  # at best part of it is sure: it may still confirm a printed ID (see merge)
        mrz.failed.append("id_number")


def _read_line2(l1: str, l2: str, mrz: MrzData, id_century: int | None) -> None:
    birth, birth_fixed = _repair_digits(l2[0:6], l2[6])
    expiry, expiry_fixed = _repair_digits(l2[8:14], l2[14])
    # The card has no expiry: six fillers, whose check digit is 0 (ICAO 9303: a filler counts 0).
    if l2[8:14] == "<<<<<<" and l2[14].translate(TO_DIGIT) in "<0KL":
        mrz.no_expiry, expiry = True, None
    if birth:
        mrz.date_of_birth = _yymmdd(birth, id_century or _guess_birth_century(birth))
        if birth_fixed:
            mrz.repaired.append("date_of_birth")
    else:
        mrz.failed.append("date_of_birth")
        mrz.dates_read["date_of_birth"] = (l2[0:6].translate(TO_DIGIT), l2[6].translate(TO_DIGIT))
    if expiry:
        mrz.expiry_date = _yymmdd(expiry, 2000)
        if expiry_fixed:
            mrz.repaired.append("expiry_date")
    elif not mrz.no_expiry:
        mrz.failed.append("expiry_date")
        mrz.dates_read["expiry_date"] = (l2[8:14].translate(TO_DIGIT), l2[14].translate(TO_DIGIT))
    sex = {"M": "Nam", "F": "Nữ"}.get(l2[7])
    nationality = l2[15:18].translate(TO_LETTER)
    if sex:  # sex has no check digit: an unreadable letter is simply not used
        mrz.sex = sex
    # A composite failure while every field passes is an OCR slip on the composite digit
    # itself; it says nothing about the values, so it is not reported.
    # Line 1 says the card is Vietnam's ID card (parse_td1 checks it), and the law issues it to
    # Vietnamese citizens only: a misread nationality field cannot say anything else.
    if nationality == "VNM" or mrz.id_number:
        mrz.nationality = "Việt Nam"


def _read_line3(l3: str, mrz: MrzData) -> None:
    # Names hold no digits, so reading a digit as its look-alike letter is safe here.
    mrz.line3 = l3.translate(TO_LETTER)
    name = mrz.line3.rstrip("<")
    surname, _, given = name.partition("<<")
    mrz.surname = surname.replace("<", " ").strip() or None
    mrz.given_names = given.replace("<", " ").strip() or None


def _yymmdd(text: str, century: int) -> date | None:
    return make_date(int(text[4:6]), int(text[2:4]), century + int(text[0:2]))


def _guess_birth_century(yymmdd: str) -> int:
    return 2000 if int(yymmdd[:2]) <= date.today().year % 100 else 1900


def find_td1_lines(text: str) -> list[str] | None:
    """Pick the three MRZ lines out of OCR text that may hold other lines too."""
    lines = [clean_line(x) for x in text.splitlines()]
    lines = [x for x in lines if len(x) >= 20]
    for i, line in enumerate(lines[:-2]):
        head = line[:5].translate(TO_LETTER)
        if head.startswith("IDVN") or ("VNM" in line[:6] and line[:1] in "I1"):
            return lines[i:i + 3]
    return None
