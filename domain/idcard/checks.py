"""Consistency checks on card data. Each returns warnings in Vietnamese; none rejects."""
from __future__ import annotations

from datetime import date, timedelta

from .provinces import PROVINCES

# Century-and-sex digit G of the 12-digit ID: (century start, sex).
_CENTURY_SEX = {
    "0": (1900, "Nam"), "1": (1900, "Nữ"), "2": (2000, "Nam"), "3": (2000, "Nữ"),
    "4": (2100, "Nam"), "5": (2100, "Nữ"), "6": (2200, "Nam"), "7": (2200, "Nữ"),
    "8": (1800, "Nam"), "9": (1800, "Nữ"),
}


def is_id_number(text: str | None) -> bool:
    return bool(text) and len(text) == 12 and text.isdigit()


def is_old_id_number(text: str | None) -> bool:
    return bool(text) and len(text) == 9 and text.isdigit()


def birth_century(id_number: str) -> int | None:
    entry = _CENTURY_SEX.get(id_number[3:4]) if is_id_number(id_number) else None
    return entry[0] if entry else None


def check_id_number(id_number: str, date_of_birth: date | None = None,
                    sex: str | None = None) -> list[str]:
    if not is_id_number(id_number):
        return [f"Số định danh cá nhân «{id_number}» không đúng 12 chữ số."]
    warnings = []
    if id_number[:3] not in PROVINCES:
        warnings.append(f"Mã tỉnh «{id_number[:3]}» trong số định danh không có trong danh mục 63 tỉnh, "
                        "thành phố; cần kiểm tra lại.")
    century, id_sex = _CENTURY_SEX[id_number[3]]
    id_year = century + int(id_number[4:6])
    if date_of_birth and date_of_birth.year != id_year:
        warnings.append(f"Năm sinh theo số định danh ({id_year}) không khớp ngày sinh "
                        f"{date_of_birth.strftime('%d/%m/%Y')}.")
    if sex and sex != id_sex:
        warnings.append(f"Giới tính theo số định danh ({id_sex}) không khớp giới tính «{sex}».")
    return warnings


def check_dates(date_of_birth: date | None, issue_date: date | None, expiry_date: date | None,
                today: date | None = None) -> list[str]:
    today = today or date.today()
    warnings = []
    if date_of_birth:
        if date_of_birth > today:
            warnings.append("Ngày sinh ở tương lai.")
        elif date_of_birth.year < 1900:
            warnings.append("Ngày sinh trước năm 1900, không hợp lý.")
    if issue_date:
        if issue_date > today + timedelta(days=1):
            warnings.append("Ngày cấp ở tương lai.")
        if issue_date.year < 2016:
            warnings.append("Ngày cấp trước năm 2016, trước khi có thẻ căn cước công dân 12 số.")
        if date_of_birth and issue_date <= date_of_birth:
            warnings.append("Ngày cấp không sau ngày sinh.")
    if expiry_date:
        if issue_date and expiry_date <= issue_date:
            warnings.append("Ngày hết hạn không sau ngày cấp.")
        if date_of_birth and expiry_date.year > date_of_birth.year + 100:
            warnings.append("Ngày hết hạn quá xa so với ngày sinh, không hợp lý.")
        if expiry_date < today:
            warnings.append(f"Thẻ đã hết hạn từ ngày {expiry_date.strftime('%d/%m/%Y')}.")
    return warnings
