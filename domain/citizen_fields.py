"""A citizen's own details as the desk official typed them (SPEC A9): each field checked and normalised,
its problem appended in Vietnamese so the form lists them all at once."""
from __future__ import annotations

import re
from datetime import date


def old_id_number(raw: str | None, problems: list[str]) -> str | None:
    """The old 9-digit CMND number without spaces or dots, None when left empty."""
    old = re.sub(r"[\s.]", "", raw or "") or None
    if old is not None and (len(old) != 9 or not old.isdigit()):
        problems.append("Số CMND cũ gồm đúng 9 chữ số (để trống nếu không có).")
    return old


def full_name(raw: str | None, problems: list[str]) -> str:
    name = re.sub(r"\s+", " ", raw or "").strip()
    if not name:
        problems.append("Vui lòng nhập họ và tên.")
    elif len(name) > 255 or any(ch.isdigit() for ch in name):
        problems.append("Họ và tên không hợp lệ.")
    return name


def check_birth_date(born: date | None, problems: list[str]) -> None:
    if born is None:
        problems.append("Vui lòng nhập ngày sinh (dd/mm/yyyy).")
    elif not date(1900, 1, 1) <= born <= date.today():
        problems.append("Ngày sinh không hợp lệ.")
