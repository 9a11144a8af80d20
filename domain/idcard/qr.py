"""Parse the `|`-separated QR payload of the chip CCCD and the 2024 căn cước card.

Documented layout: ID12|CMND9|Full name|DOB|Sex|Residence|Issue date, but cards exist with
6 fields (no CMND) or extra fields (parents' names on the new card), so each field is
classified by its shape; position only breaks ties (the first date is the birth date,
the first name-like text is the holder's name).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .text import nfc, normalize_sex, parse_ddmmyyyy

_NAME = re.compile(r"^[^\W\d_]+(?: [^\W\d_]+){1,7}$")


@dataclass
class QrData:
    id_number: str | None = None
    old_id_number: str | None = None
    full_name: str | None = None
    date_of_birth: date | None = None
    sex: str | None = None
    place_of_residence: str | None = None
    issue_date: date | None = None
    extra: list[str] = field(default_factory=list)

    def fields(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "extra" and v is not None}


def looks_like_card_qr(payload: str) -> bool:
    parts = payload.split("|")
    return len(parts) >= 6 and any(len(p.strip()) == 12 and p.strip().isdigit() for p in parts)


def parse_qr_payload(payload: str) -> QrData:
    """Raises ValueError when the payload is not a card QR (no 12-digit ID, too few fields)."""
    if not looks_like_card_qr(payload):
        raise ValueError("not an ID-card QR payload")
    data = QrData()
    dates: list[date] = []
    for raw in payload.split("|"):
        part = nfc(raw.strip())
        if not part:
            continue
        if part.isdigit():
            _take_number(data, dates, part)
        elif normalize_sex(part) and len(part) <= 4 and data.sex is None:
            data.sex = normalize_sex(part)
        elif data.full_name is None and _NAME.match(part) and data.place_of_residence is None:
            data.full_name = " ".join(part.split())
        elif data.place_of_residence is None and data.full_name is not None:
            data.place_of_residence = " ".join(part.split())
        else:
            data.extra.append(part)
    if dates:
        data.date_of_birth = dates[0]
    if len(dates) > 1:
        data.issue_date = dates[1]
        if data.issue_date < data.date_of_birth:  # an unusual order: trust chronology
            data.date_of_birth, data.issue_date = data.issue_date, data.date_of_birth
    return data


def _take_number(data: QrData, dates: list[date], part: str) -> None:
    if len(part) == 12 and data.id_number is None:
        data.id_number = part
    elif len(part) in (9, 12) and data.old_id_number is None:
        data.old_id_number = part
    elif len(part) == 8 and parse_ddmmyyyy(part):
        dates.append(parse_ddmmyyyy(part))
    else:
        data.extra.append(part)
