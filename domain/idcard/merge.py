"""Merge what the QR, the MRZ and the printed text say, field by field, best source first."""
from __future__ import annotations

from datetime import date
from difflib import SequenceMatcher

from .checks import check_dates, check_id_number, is_id_number
from .mrz import MrzData
from .printed import PrintedData
from .qr import QrData
from .result import FIELD_LABELS_VI, FIELDS, IdCardData
from .text import fold, title_name

_SOURCE_VI = {"qr": "mã QR", "mrz": "MRZ", "ocr": "chữ in trên thẻ"}
_FREE_TEXT = {"full_name", "place_of_origin", "place_of_residence", "place_of_birth", "nationality"}


def merge_sources(qr: QrData | None, mrz: MrzData | None, printed: PrintedData | None,
                  today: date | None = None) -> IdCardData:
    candidates: dict[str, list[tuple[str, object]]] = {}
    for source, values in (("qr", qr.fields() if qr else {}),
                           ("mrz", _mrz_fields(mrz)),
                           ("ocr", printed.fields() if printed else {})):
        for name, value in values.items():
            candidates.setdefault(name, []).append((source, value))

    result = IdCardData(card_model=printed.card_model if printed else None)
    for name in (*FIELDS, "place_of_birth"):
        options = candidates.get(name, [])
        if name == "id_number":
            options = [o for o in options if is_id_number(o[1])] or options
        if not options:
            continue
        source, value = options[0]
        setattr(result, name, value)
        result.sources[name] = source
        result.warnings += _disagreements(name, source, value, options[1:])

    if result.full_name:
        result.full_name = title_name(result.full_name)
    # The MRZ name has no check digit: only a clear difference, not one OCR slip, is reported.
    if mrz and mrz.name and result.full_name and \
            SequenceMatcher(None, fold(mrz.name), fold(result.full_name)).ratio() < 0.85:
        result.warnings.append(f"Họ và tên trong MRZ «{mrz.name}» không khớp «{result.full_name}».")
    if mrz:
        result.warnings += [f"Số kiểm tra MRZ không khớp ở trường {FIELD_LABELS_VI.get(f, 'tổng hợp')}; "
                            "đã bỏ qua giá trị MRZ của trường này." for f in mrz.failed]
    if result.id_number:
        result.warnings += check_id_number(result.id_number, result.date_of_birth, result.sex)
    result.warnings += check_dates(result.date_of_birth, result.issue_date, result.expiry_date, today)
    return result


def _mrz_fields(mrz: MrzData | None) -> dict:
    if not mrz:
        return {}
    values = mrz.fields()
    if mrz.name:
        values["mrz_name"] = mrz.name  # compared with the name separately: no diacritics
    return values


def _disagreements(name: str, source: str, value, others: list[tuple[str, object]]) -> list[str]:
    warnings = []
    label = FIELD_LABELS_VI.get(name, name)
    for other_source, other in others:
        if _same(name, value, other, other_source):
            continue
        warnings.append(f"{label}: {_SOURCE_VI[source]} ghi «{_show(value)}» nhưng "
                        f"{_SOURCE_VI[other_source]} ghi «{_show(other)}»; đã dùng giá trị từ "
                        f"{_SOURCE_VI[source]}.")
    return warnings


def _same(name: str, a, b, other_source: str) -> bool:
    if a == b:
        return True
    if name in _FREE_TEXT and isinstance(a, str) and isinstance(b, str):
        if a.casefold() == b.casefold():
            return True
        # OCR of long free text is noisy: only a clear difference is worth a warning.
        return other_source == "ocr" and SequenceMatcher(None, fold(a), fold(b)).ratio() >= 0.85
    return False


def _show(value) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value)
