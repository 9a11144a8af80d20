"""Districts and communes of a place read from a card, checked against the shipped list
(data/admin_units.txt: the GSO list before the 2025 reorganisation, 2023 and January 2025
merged, and the one after it; its header says where it comes from).

A card prints the units of the day it was issued: 'Xã A, Huyện B, Tỉnh C' before July 2025,
'Xã A, Tỉnh C' after. Both readings are tried; the one that fits the list better wins. Only the
unit names are compared, not their kind (a huyện that became a thị xã keeps its card valid).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

from .provinces import PROVINCES
from .text import fold, tone_key

DATA = Path(__file__).with_name("data") / "admin_units.txt"
CLOSE = 0.8        # a unit read this close to a listed one is taken as that one, with a warning
_DISTRICT_KINDS = ("thanh pho ", "thi xa ", "quan ", "huyen ", "tp. ", "tp ")
_COMMUNE_KINDS = ("thi tran ", "phuong ", "xa ", "dac khu ")
_KINDS = (*_DISTRICT_KINDS, *_COMMUNE_KINDS, "tinh ")


@dataclass
class _Units:
    legacy: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # code -> district -> communes
    new: dict[str, list[str]] = field(default_factory=dict)                # code -> communes
    new_names: dict[str, str] = field(default_factory=dict)                # bare province -> code


@cache
def _units() -> _Units:
    units, communes = _Units(), None
    for line in DATA.read_text("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        tag, _, rest = line.partition(" ")
        if tag == "L":
            code, _, _name = rest.partition(" ")
            districts = units.legacy.setdefault("0" + code, {})
        elif tag == "N":
            code, _, name = rest.partition(" ")
            communes = units.new.setdefault("0" + code, [])
            units.new_names[bare(name)] = "0" + code
        elif tag == "D":
            communes = districts.setdefault(rest, [])
        else:
            communes.extend(line.split("|"))
    return units


def bare(name: str) -> str:
    """'Huyện Đan Phượng' -> 'dan phuong': the name without its kind, folded."""
    key = fold(name).strip(" .,;:")
    for kind in _KINDS:
        if key.startswith(kind) and len(key) > len(kind):
            return key[len(kind):]
    return key


def level(name: str) -> str | None:
    """'district' or 'commune' by the kind printed before the name; None when none is printed."""
    key = fold(name)
    if key.startswith(_COMMUNE_KINDS):  # before the district kinds: 'thi tran' is not 'thi xa'
        return "commune"
    return "district" if key.startswith(_DISTRICT_KINDS) else None


def _nearest(text: str, names: list[str], wanted: str) -> tuple[str | None, float]:
    """(the listed name, similarity): exact letters first (a slipped mark takes the listed spelling
    when only one name has those letters), else the closest by letters. A part printed as the
    other level ('Huyện Diễn Châu' where a commune is expected) fits nothing."""
    if level(text) not in (None, wanted):
        return None, 0.0
    key = bare(text)
    same = [n for n in names if bare(n) == key]
    if len(same) > 1:  # 'Hương Vân', 'Hương Văn': the marks decide, whatever their placement
        same = [n for n in same if _marked_name(n) == _marked_name(text)] or same
    if len(same) > 1 and len({_marked_name(n) for n in same}) == 1:  # a huyện that became a city
        same = [n for n in same if tone_key(n) == tone_key(text)] or same[:1]
    if len(same) == 1:
        return same[0], 1.0
    if same:  # two units differing only by a mark ('Hương Vân', 'Hương Văn') and neither read exactly
        return None, 0.0
    best = max(names, key=lambda n: SequenceMatcher(None, key, bare(n)).ratio(), default=None)
    return best, (SequenceMatcher(None, key, bare(best)).ratio() if best else 0.0)


def _legacy_codes(province: str) -> list[str]:
    key = bare(province)
    codes = [code for code, name in PROVINCES.items() if bare(name) == key]
    return codes or (["046"] if key == "hue" else [])


def check_units(parts: list[str], province: str) -> tuple[list[str] | None, float]:
    """The last district/commune parts of a place (before its province), checked:
    (the parts as listed, lowest similarity of a part) or (None, 0) when the province has no list
    or nothing fits. A similarity of 1.0 means every unit was found with the same letters."""
    units = _units()
    readings: list[tuple[list[str], float]] = []
    for code in _legacy_codes(province):
        districts = units.legacy.get(code)
        if not districts or not parts:
            continue
        all_communes = [c for communes in districts.values() for c in communes]
        readings.append(_only_commune(parts[-1], all_communes))  # the district left out
        district, d_score = _nearest(parts[-1], list(districts), "district")
        if district is None:
            continue
        fixed, score = [district], d_score
        if len(parts) >= 2:
            commune, c_score = _nearest(parts[-2], districts[district], "commune")
            fixed, score = [commune, district], min(d_score, c_score)
        readings.append((fixed, score))
    code = units.new_names.get(bare(province))
    if code and parts:
        readings.append(_only_commune(parts[-1], units.new[code]))
    readings = [r for r in readings if None not in r[0]]
    if not readings:
        return None, 0.0
    return max(readings, key=lambda r: (r[1], len(r[0])))


def _only_commune(part: str, communes: list[str]) -> tuple[list[str | None], float]:
    commune, score = _nearest(part, communes, "commune")
    return [commune], score


def same_unit(read: str, listed: str) -> bool:
    """The same name with the same marks (the kind may differ: a huyện that became a thị xã)."""
    return _marked_name(read) == _marked_name(listed)


def _marked_name(name: str) -> str:
    """The name without its kind, with its marks, old and new tone placement alike."""
    words = name.split()
    key = fold(name) + " "
    for kind in _KINDS:
        if key.startswith(kind) and len(words) > len(kind.split()):
            return tone_key(" ".join(words[len(kind.split()):]))
    return tone_key(" ".join(words))


def has_list(province: str) -> bool:
    return bool(_legacy_codes(province) or bare(province) in _units().new_names)
