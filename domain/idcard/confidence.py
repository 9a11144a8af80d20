"""How sure each field is, from how many independent sources agree on it (shown on the form).

high: the QR (error-corrected) or an MRZ check digit gives it, or two sources agree;
medium: one source only, and it passed the checks (closed lists, places, the ID's own digits);
low: something warns about it."""
from __future__ import annotations

from datetime import date

from .result import IdCardData
from .text import fold, tone_key

HIGH, MEDIUM, LOW = "high", "medium", "low"
LABELS_VI = {HIGH: "cao", MEDIUM: "trung bình", LOW: "thấp"}


def _key(name: str, value) -> object:
    if isinstance(value, date) or value is None:
        return value
    return fold(str(value)) if name == "full_name" else tone_key(str(value))


def agreeing(name: str, value, sources: dict[str, dict]) -> list[str]:
    """The sources whose own reading of `name` is the value finally chosen."""
    return [s for s, values in sources.items() if values.get(name) is not None
            and _key(name, values[name]) == _key(name, value)]


def rate(result: IdCardData, sources: dict[str, dict], names) -> None:
    """Fill result.confidence for every field that has a value."""
    for name in names:
        value = getattr(result, name, None)
        if value is None:
            continue
        agree = agreeing(name, value, sources)
        if result.field_warnings.get(name):
            level = LOW
        elif result.sources.get(name) == "qr" or name in result.confirmed_by or len(agree) >= 2:
            level = HIGH
        else:
            level = MEDIUM
        result.confidence[name] = level
