"""Provinces and cities of Viet Nam, before and after the 2025 reorganisation.

63 units until 30 June 2025 (ID-number codes in provinces.py); 34 since 1 July 2025
(Resolution 202/2025/QH15). A card issued before the merger keeps printing the old names, so
both lists are valid on a card. Districts and communes are not listed here: a place is checked
by its last part, the province, and corrected to the nearest name with a warning.
"""
from __future__ import annotations

from difflib import SequenceMatcher

from .provinces import PROVINCES
from .text import fold

PROVINCES_2025: tuple[str, ...] = (
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ",
    "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi",
    "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh",
    "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
)
assert len(PROVINCES_2025) == 34

ALL_PROVINCES: tuple[str, ...] = tuple(dict.fromkeys([*PROVINCES.values(), *PROVINCES_2025]))
_PREFIXES = ("thanh pho ", "tp. ", "tp ", "tinh ")
_FOLDED = {fold(name): name for name in ALL_PROVINCES}
_FOLDED.update({fold(n).removeprefix("tp "): n for n in ALL_PROVINCES})


def _bare(folded: str) -> str:
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix):]
    return folded


def match_province(text: str) -> tuple[str | None, float]:
    """(the printed province as listed, similarity 0..1) for the last part of a place."""
    key = _bare(fold(text).strip(" .,;:"))
    if not key:
        return None, 0.0
    if key in _FOLDED:
        return _FOLDED[key], 1.0
    best = max(_FOLDED, key=lambda k: SequenceMatcher(None, key, k).ratio())
    return _FOLDED[best], SequenceMatcher(None, key, best).ratio()


def province_part(text: str) -> tuple[str, str, str]:
    """(head, prefix kept as printed, province text) of 'Xã A, Huyện B, Tỉnh C'."""
    head, sep, last = text.rpartition(",")
    last = last.strip()
    folded = fold(last)
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            words = last.split()
            keep = len(prefix.split())
            return head.strip(), " ".join(words[:keep]), " ".join(words[keep:])
    return (head.strip() if sep else ""), "", last
