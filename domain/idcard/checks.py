"""Consistency checks on card data. Each returns warnings in Vietnamese; none rejects."""
from __future__ import annotations

from datetime import date, timedelta

from .provinces import PROVINCES
from .units import match_province, province_part

# Century-and-sex digit G of the 12-digit ID: (century start, sex).
_CENTURY_SEX = {
    "0": (1900, "Nam"), "1": (1900, "Nữ"), "2": (2000, "Nam"), "3": (2000, "Nữ"),
    "4": (2100, "Nam"), "5": (2100, "Nữ"), "6": (2200, "Nam"), "7": (2200, "Nữ"),
    "8": (1800, "Nam"), "9": (1800, "Nữ"),
}


def is_id_number(text: str | None) -> bool:
    return bool(text) and len(text) == 12 and text.isdigit()


def birth_century(id_number: str) -> int | None:
    entry = _CENTURY_SEX.get(id_number[3:4]) if is_id_number(id_number) else None
    return entry[0] if entry else None


Warning = tuple[tuple[str, ...], str]  # (the fields it concerns, the text)


def check_id_number(id_number: str, date_of_birth: date | None = None, sex: str | None = None) -> list[str]:
    return [text for _, text in id_number_warnings(id_number, date_of_birth, sex)]


def check_dates(date_of_birth: date | None, issue_date: date | None, expiry_date: date | None,
                today: date | None = None) -> list[str]:
    return [text for _, text in date_warnings(date_of_birth, issue_date, expiry_date, today)]


def id_consistent(id_number: str, date_of_birth: date | None, sex: str | None) -> bool:
    """The ID's province code is listed and its century-year and sex digits fit the holder."""
    return is_id_number(id_number) and not id_number_warnings(id_number, date_of_birth, sex)


def id_number_warnings(id_number: str, date_of_birth: date | None = None,
                       sex: str | None = None) -> list[Warning]:
    if not is_id_number(id_number):
        return [(("id_number",), f"Số định danh cá nhân «{id_number}» không đúng 12 chữ số.")]
    warnings: list[Warning] = []
    if id_number[:3] not in PROVINCES:
        warnings.append(
            (
                ("id_number",),
                (
                    f"Mã tỉnh «{id_number[:3]}» trong số định danh không có trong danh mục "
                    "63 tỉnh, thành phố; cần kiểm tra lại."
                ),
            )
        )
    century, id_sex = _CENTURY_SEX[id_number[3]]
    id_year = century + int(id_number[4:6])
    if date_of_birth and date_of_birth.year != id_year:
        warnings.append(
            (
                ("id_number", "date_of_birth"),
                (
                    f"Năm sinh theo số định danh ({id_year}) không khớp "
                    f"ngày sinh {date_of_birth.strftime('%d/%m/%Y')}."
                ),
            )
        )
    if sex and sex != id_sex:
        warnings.append(
            (("id_number", "sex"), f"Giới tính theo số định danh ({id_sex}) không khớp giới tính «{sex}».")
        )
    return warnings


def date_warnings(date_of_birth: date | None, issue_date: date | None, expiry_date: date | None,
                  today: date | None = None) -> list[Warning]:
    today = today or date.today()
    warnings: list[Warning] = []
    if date_of_birth:
        if date_of_birth > today:
            warnings.append((('date_of_birth',), "Ngày sinh ở tương lai."))
        elif date_of_birth.year < 1900:
            warnings.append((('date_of_birth',), "Ngày sinh trước năm 1900, không hợp lý."))
    if issue_date:
        if issue_date > today + timedelta(days=1):
            warnings.append((('issue_date',), "Ngày cấp ở tương lai."))
        if issue_date.year < 2016:
            warnings.append(
                (("issue_date",), "Ngày cấp trước năm 2016, trước khi có thẻ căn cước công dân 12 số.")
            )
        if date_of_birth and issue_date <= date_of_birth:
            # either date may be the misread one
            warnings.append((("issue_date", "date_of_birth"), "Ngày cấp không sau ngày sinh."))
    if expiry_date:
        if issue_date and expiry_date <= issue_date:
            warnings.append((("expiry_date", "issue_date"), "Ngày hết hạn không sau ngày cấp."))
        if date_of_birth and expiry_date.year > date_of_birth.year + 100:
            warnings.append((('expiry_date',), "Ngày hết hạn quá xa so với ngày sinh, không hợp lý."))
        if expiry_date < today:
            warnings.append((('expiry_date',), f"Thẻ đã hết hạn từ ngày {expiry_date.strftime('%d/%m/%Y')}."))
    return warnings


def birth_place_warnings(id_number: str, place_of_birth: str | None, trusted_id: bool) -> list[Warning]:
    """The ID's first three digits are the province where the birth was registered, which the 2024
    card prints: when the two disagree one of them is misread (the place, if a QR or check digit
    vouches for the ID)."""
    if not (is_id_number(id_number) and place_of_birth) or id_number[:3] not in PROVINCES:
        return []
    printed, score = match_province(province_part(place_of_birth)[2])
    if printed is None or score < 1.0 or printed not in PROVINCES.values():
        return []  # a province name of after July 2025, or unsure: nothing to compare
    if printed == PROVINCES[id_number[:3]]:
        return []
    field = "place_of_birth" if trusted_id else "id_number"
    return [((field,), f"Mã tỉnh «{id_number[:3]}» của số định danh ({PROVINCES[id_number[:3]]}) không khớp "
                       f"nơi đăng ký khai sinh «{place_of_birth}»; cần kiểm tra.")]
