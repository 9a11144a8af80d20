"""Vietnamese mobile numbers: 10 digits, 0 (or +84) then 9 whose first is 3, 5, 7, 8 or 9; one normal
form, 0 + 9 digits."""

from __future__ import annotations

import re

import phonenumbers

from domain.errors import DomainError

# Formatting people type: spaces, dots, dashes, brackets. Letters are never accepted.
_FORMATTING = re.compile(r"[\s.\-()/]")
# National form 0XXXXXXXXX, or 84/+84 with an optional stray trunk 0 (+84 0912…).
# A bare 9-digit number is refused: it could be an old 9-digit CMND.
_SHAPE = re.compile(r"(?:0|\+?840?)(\d{9})")
_MOBILE_FIRST_DIGITS = frozenset("35789")


class InvalidPhone(DomainError, ValueError):
    """Not a Vietnamese mobile number."""


def normalize_vn_mobile(text: str) -> str:
    """'0912 345 678', '+84912345678', '(091) 234-5678' … -> '0912345678'."""
    significant = _significant_digits(text)
    if significant is None:
        raise InvalidPhone("Số điện thoại di động không hợp lệ (cần 10 chữ số, ví dụ 0912 345 678).")
    return "0" + significant


def phone_search_key(text: str) -> str | None:
    """The normalised mobile number for searching, or None if `text` is not one."""
    significant = _significant_digits(text)
    return None if significant is None else "0" + significant


def _significant_digits(text: object) -> str | None:
    if not isinstance(text, str):
        return None
    match = _SHAPE.fullmatch(_FORMATTING.sub("", text))
    if match is None or match.group(1)[0] not in _MOBILE_FIRST_DIGITS:
        return None
    # phonenumbers holds the exact allocated mobile ranges (e.g. 0912…, not 0952…).
    number = phonenumbers.parse("+84" + match.group(1))
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        return None
    return match.group(1)
