"""Certification fee (Circular 226/2016/TT-BTC, SPEC C5).

"2.000 đồng/trang. Từ trang thứ ba trở lên thu 1.000 đồng/trang, nhưng mức thu tối đa
không quá 200.000 đồng/bản." Pages are counted on the original, the cap applies per copy.
"""

from __future__ import annotations

FEE_PER_PAGE_FIRST_TWO = 2_000
FEE_PER_PAGE_FROM_THIRD = 1_000
FEE_CAP_PER_COPY = 200_000


def _require_positive_int(value: object, what: str) -> int:
    # bool is an int subclass: True must not silently mean "1 page".
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be an int, got {value!r}")
    if value < 1:
        raise ValueError(f"{what} must be at least 1, got {value}")
    return value


def certification_fee(pages: int) -> int:
    """Fee in VND for one certified copy of an original with `pages` pages."""
    p = _require_positive_int(pages, "pages")
    raw = FEE_PER_PAGE_FIRST_TWO * min(p, 2) + FEE_PER_PAGE_FROM_THIRD * max(p - 2, 0)
    return min(FEE_CAP_PER_COPY, raw)


def original_fee(pages: int, copies: int = 1) -> int:
    """Fee in VND for `copies` certified copies of one original: each copy is a "bản", so the fee (and
    its cap) applies per copy. This is what an Original row stores in `fee`."""
    return certification_fee(pages) * _require_positive_int(copies, "copies")


def total_fee(pages_per_original: list[int], copies: list[int] | None = None) -> int:
    """Total fee in VND for originals not stored yet (`copies[i]` of original i, default 1 each).
    A stored dossier's fee is the sum of its originals' `fee`: `domain.dossiers.dossier_fee`."""
    if copies is None:
        copies = [1] * len(pages_per_original)
    if len(copies) != len(pages_per_original):
        raise ValueError("copies must have one count per original")
    return sum(original_fee(pages, count) for pages, count in zip(pages_per_original, copies, strict=False))


def format_amount(amount: int) -> str:
    """12000 -> '12.000' (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".")


def vnd(amount: int) -> str:
    """12000 -> '12.000 đồng': the one way an amount of money is written, on screens and on paper."""
    return format_amount(amount) + " đồng"
