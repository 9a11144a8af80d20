"""The outcome of reading an ID card: one value per field, where it came from, what looked wrong."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from domain.errors import DomainError

Source = Literal["qr", "mrz", "ocr"]

FIELDS: tuple[str, ...] = (
    "id_number", "old_id_number", "full_name", "date_of_birth", "sex", "nationality",
    "place_of_origin", "place_of_residence", "issue_date", "expiry_date",
)
DATE_FIELDS = frozenset({"date_of_birth", "issue_date", "expiry_date"})

# Vietnamese labels, for warnings and forms.
FIELD_LABELS_VI: dict[str, str] = {
    "id_number": "Số định danh cá nhân",
    "old_id_number": "Số CMND cũ",
    "full_name": "Họ và tên",
    "date_of_birth": "Ngày sinh",
    "sex": "Giới tính",
    "nationality": "Quốc tịch",
    "place_of_origin": "Quê quán",
    "place_of_residence": "Nơi thường trú / nơi cư trú",
    "issue_date": "Ngày cấp",
    "expiry_date": "Có giá trị đến",
    "place_of_birth": "Nơi đăng ký khai sinh",
}


class IdCardReadError(DomainError):
    """The input holds no readable card. `message` is shown to staff and citizens as is."""


@dataclass
class IdCardData:
    id_number: str | None = None
    old_id_number: str | None = None
    full_name: str | None = None
    date_of_birth: date | None = None
    sex: str | None = None  # "Nam" | "Nữ"
    nationality: str | None = None
    place_of_origin: str | None = None
    place_of_residence: str | None = None
    issue_date: date | None = None
    expiry_date: date | None = None
    # Extras, outside the required contract: the 2024 card prints the place of birth
    # registration instead of the place of origin; the card model detected ("2021" | "2024").
    place_of_birth: str | None = None
    card_model: str | None = None
    sources: dict[str, Source] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)            # every warning, in order
    field_warnings: dict[str, list[str]] = field(default_factory=dict)  # the ones about a field
    # Fields whose value a check confirms: "mrz" (MRZ check digit), "qr" (the QR agrees).
    confirmed_by: dict[str, str] = field(default_factory=dict)
    # How sure each field is: "high" | "medium" | "low" (domain/idcard/confidence.py).
    confidence: dict[str, str] = field(default_factory=dict)

    def warn(self, fields: str | tuple[str, ...] | list[str] | None, text: str) -> None:
        """Record a warning and attach it to the field(s) it concerns (None: the card as a whole)."""
        if text not in self.warnings:
            self.warnings.append(text)
        for name in ((fields,) if isinstance(fields, str) else fields or ()):
            notes = self.field_warnings.setdefault(name, [])
            if text not in notes:
                notes.append(text)

    def general_warnings(self) -> list[str]:
        attached = {w for notes in self.field_warnings.values() for w in notes}
        return [w for w in self.warnings if w not in attached]

    def needs_check(self, name: str) -> bool:
        """An OCR-read value, or one with a warning, that the official must look at."""
        return getattr(self, name, None) is not None and (
            self.sources.get(name) == "ocr"
            and name not in self.confirmed_by
            or bool(self.field_warnings.get(name))
        )

    def to_json_dict(self) -> dict:
        out: dict = {}
        for name in (*FIELDS, "place_of_birth", "card_model"):
            value = getattr(self, name)
            out[name] = value.isoformat() if isinstance(value, date) else value
        out["sources"] = dict(self.sources)
        out["warnings"] = list(self.warnings)
        out["field_warnings"] = {k: list(v) for k, v in self.field_warnings.items()}
        out["confirmed_by"] = dict(self.confirmed_by)
        out["confidence"] = dict(self.confidence)
        return out

    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in FIELDS)
