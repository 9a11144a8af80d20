"""Merge what the QR, the MRZ and the printed text say, field by field, best source first.

The QR (error-corrected) and the MRZ (check digits) are trusted over OCR: OCR that disagrees
with them is dropped without a warning. Values only OCR gives are validated before they fill a
field (labels stripped, closed lists, provinces, the expiry rule); every warning is attached to
the field(s) it concerns. The name without a QR is the exception: the print is its source, the MRZ
only confirms it (name_merge.py). Each field gets a confidence from the sources that agree.
"""
from __future__ import annotations

from datetime import date

from .checks import birth_place_warnings, date_warnings, id_consistent, id_number_warnings, is_id_number
from .confidence import rate
from .mrz import MrzData
from .name_merge import merge_name
from .printed import PrintedData
from .qr import QrData
from .result import FIELD_LABELS_VI, FIELDS, IdCardData
from .text import title_name
from .validate import check_place, expiry_from_garbled, expiry_plausible, nationality_from, strip_labels

_SOURCE_VI = {"qr": "mã QR", "mrz": "MRZ", "ocr": "chữ in trên thẻ"}
_PLACES = ("place_of_origin", "place_of_residence", "place_of_birth")
_SIMPLE = ("old_id_number", "date_of_birth", "sex", "issue_date", "expiry_date", "nationality")


def merge_sources(qr: QrData | None, mrz: MrzData | None, printed: PrintedData | None,
                  today: date | None = None) -> IdCardData:
    q = qr.fields() if qr else {}
    m = mrz.fields() if mrz else {}
    p = _validated_ocr(printed.fields() if printed else {})
    result = IdCardData(card_model=printed.card_model if printed else None)
    ocr_warnings = p.pop("_warnings", [])
    for name in _SIMPLE:
        _take_first(result, name, (("qr", q.get(name)), ("mrz", m.get(name)), ("ocr", p.get(name))))
    if result.nationality is None and q.get("id_number"):  # the card QR is on citizens' cards only
        result.nationality, result.sources["nationality"] = "Việt Nam", "qr"
    _no_expiry_notes(result, mrz, printed)
    for name in _PLACES:
        _take_first(result, name, (("qr", q.get(name)), ("ocr", p.get(name))))
    _merge_id(result, q.get("id_number"), m.get("id_number"), p.get("id_number"))
    if q.get("full_name"):
        result.full_name, result.sources["full_name"] = title_name(q["full_name"]), "qr"
    else:
        merge_name(result, mrz, p.get("full_name"))
    for name, source in (*((k, "mrz") for k in (mrz.confirmed if mrz else [])), *((k, "qr") for k in q)):
        if (
            getattr(result, name, None) is not None
            and getattr(result, name) == (m if source == "mrz" else q)[name]
        ):
            result.confirmed_by.setdefault(name, source)
    for name, text in ocr_warnings:  # only where OCR's value is used, or nothing is
        if result.sources.get(name, "ocr") == "ocr":
            result.warn(name, text)
    if mrz:
        _mrz_failures(result, mrz)
    _check(result, today)
    rate(result, {"qr": q, "mrz": {**m, "full_name": mrz.name} if mrz else {}, "ocr": p},
         (*FIELDS, "place_of_birth"))
    return result


def _mrz_failures(result: IdCardData, mrz: MrzData) -> None:
    """Warn of each MRZ field whose check digit failed, unless another check confirms the value used."""
    failed = list(mrz.failed)
    if (
        "id_number" in failed
        and result.sources.get("id_number") == "ocr"
        and mrz.vouches_for(result.id_number)
    ):
        failed.remove("id_number")  # a checked part of the MRZ confirms the printed ID
        result.confirmed_by["id_number"] = "mrz"
    for name in [f for f in failed if result.sources.get(f) == "ocr"]:
        if mrz.vouches_for_date(name, getattr(result, name)):
            failed.remove(name)  # the MRZ's own check digit confirms the printed date
            result.confirmed_by[name] = "mrz"
    for name in [f for f in failed if result.sources.get(f) != "qr"]:
        result.warn(name, f"Số kiểm tra MRZ không khớp ở trường {FIELD_LABELS_VI.get(name, name)}; "
                          "đã bỏ qua giá trị MRZ của trường này.")


def _validated_ocr(values: dict) -> dict:
    """OCR values after the checks; '_warnings' lists (field, text) for what was corrected or dropped."""
    out, warnings = dict(values), []
    for name in _PLACES:
        if out.get(name):
            label = FIELD_LABELS_VI[name]
            value, warning = check_place(strip_labels(out[name]))
            if name == "place_of_residence" and value and value.count(",") < 2:
                value, warning = None, f"đọc được «{value}» nhưng có vẻ thiếu dòng thứ hai; cần nhập tay."
            out[name] = value
            if warning:
                warnings.append((name, f"{label}: {warning}"))
            if value is None:
                del out[name]
    if out.get("nationality"):
        nationality, _ = nationality_from(strip_labels(out["nationality"]))
        if nationality is None:
            warnings.append(("nationality", (f"Quốc tịch: đọc được «{out['nationality']}», không có trong "
                                             "danh mục; cần nhập tay.")))
            del out["nationality"]
        else:
            out["nationality"] = nationality
    out["_warnings"] = warnings
    return out


def _take_first(result: IdCardData, name: str, options) -> None:
    options = [(s, v) for s, v in options if v is not None]
    if not options:
        return
    source, value = options[0]
    setattr(result, name, value)
    result.sources[name] = source
    for other_source, other in options[1:]:
        if other != value and other_source != "ocr":  # QR against MRZ: both trusted, one is wrong
            result.warn(name, f"{FIELD_LABELS_VI.get(name, name)}: {_SOURCE_VI[source]} ghi «{_show(value)}» "
                              f"nhưng {_SOURCE_VI[other_source]} ghi «{_show(other)}»; đã dùng giá trị từ "
                              f"{_SOURCE_VI[source]}, cần kiểm tra.")


def _merge_id(result: IdCardData, from_qr, from_mrz, from_ocr) -> None:
    """QR first. Without it, MRZ and printed ID agreeing is best; when they disagree, take the one
    consistent with its province code and the birth year/sex, else leave the field empty."""
    label = FIELD_LABELS_VI["id_number"]
    if from_ocr is not None and not is_id_number(from_ocr):
        from_ocr = None
    if from_qr or from_mrz == from_ocr or not (from_mrz and from_ocr):
        _take_first(result, "id_number", (("qr", from_qr), ("mrz", from_mrz), ("ocr", from_ocr)))
        return
    fits = [(s, v) for s, v in (("mrz", from_mrz), ("ocr", from_ocr))
            if id_consistent(v, result.date_of_birth, result.sex)]
    if fits == [("mrz", from_mrz)]:  # two check digits, the province, the birth year and sex
        result.id_number, result.sources["id_number"] = from_mrz, "mrz"  # agree: the print is the misread
    elif len(fits) == 1:
        result.id_number, result.sources["id_number"] = fits[0][1], fits[0][0]
        result.warn("id_number", f"{label}: MRZ ghi «{from_mrz}», chữ in ghi «{from_ocr}»; đã chọn "
                                 f"«{fits[0][1]}» (khớp mã tỉnh và năm sinh), cần kiểm tra.")
    else:
        result.warn("id_number", f"{label}: MRZ ghi «{from_mrz}», chữ in ghi «{from_ocr}»; không xác định "
                                 "được số đúng, cần nhập tay.")


def _no_expiry_notes(result: IdCardData, mrz: MrzData | None, printed: PrintedData | None) -> None:
    if result.expiry_date is None and printed and printed.expiry_text and not (mrz and mrz.no_expiry):
        repaired = expiry_from_garbled(printed.expiry_text, result.date_of_birth, result.issue_date)
        if repaired:  # the print, garbled, agrees with the date the law gives this card
            result.expiry_date, result.sources["expiry_date"] = repaired, "ocr"
    if mrz and mrz.no_expiry and result.sources.get("expiry_date") == "ocr":
        result.warn("expiry_date", "MRZ ghi thẻ không thời hạn nhưng chữ in có ngày hết hạn; cần kiểm tra.")
    if printed and printed.no_expiry and result.sources.get("expiry_date") == "mrz":
        result.warn("expiry_date", "Chữ in ghi «Không thời hạn» nhưng MRZ có ngày hết hạn; cần kiểm tra.")


def _check(result: IdCardData, today: date | None) -> None:
    if result.id_number:
        for fields, text in id_number_warnings(result.id_number, result.date_of_birth, result.sex):
            result.warn(fields, text)
        trusted_id = result.sources.get("id_number") == "qr" or "id_number" in result.confirmed_by
        for fields, text in birth_place_warnings(result.id_number, result.place_of_birth, trusted_id):
            result.warn(fields, text)
    for fields, text in date_warnings(result.date_of_birth, result.issue_date, result.expiry_date, today):
        result.warn(fields, text)
    if result.expiry_date and result.sources.get("expiry_date") == "ocr" and \
            not expiry_plausible(result.expiry_date, result.date_of_birth, result.issue_date, today):
        unsure_issue = result.issue_date and result.sources.get("issue_date") == "ocr"
        result.warn(
            ("expiry_date", "issue_date") if unsure_issue else "expiry_date",
            "Có giá trị đến: ngày đọc được không khớp quy định đổi thẻ ở tuổi 25, 40, 60; cần kiểm tra.",
        )
    if result.sources.get("id_number") == "ocr" and "id_number" not in result.confirmed_by and \
            not (result.date_of_birth and result.sex) and not result.field_warnings.get("id_number"):
        # no check digit, no QR, no birth year and sex to check its digits against: a misread would pass
        result.warn("id_number", f"{FIELD_LABELS_VI['id_number']}: chỉ đọc được từ chữ in, không có mã QR, "
                                 "MRZ hay ngày sinh, giới tính để đối chiếu; cần kiểm tra.")


def _show(value) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value)
