"""An official's account details as the administrator types them (SPEC A2–A3): checked and normalised,
with every problem listed in Vietnamese, and no username, ID number or phone shared with another account."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from domain.admin_scope import AdminError, office_unit_ids
from domain.email_address import is_valid_email
from domain.models import Account, Office
from domain.phone import InvalidPhone, normalize_vn_mobile

_USERNAME = re.compile(r"[a-z0-9._-]{3,64}")


@dataclass(frozen=True)
class OfficialInput:
    username: str
    full_name: str
    id_number: str
    phone: str
    email: str = ""
    unit_id: int | None = None


def clean_official(
    session: Session, office: Office, data: OfficialInput, *, exclude_id: int | None
) -> OfficialInput:
    """Checked and normalised input; AdminError lists every problem in Vietnamese."""
    problems: list[str] = []
    username = (data.username or "").strip().lower()
    if not _USERNAME.fullmatch(username):
        problems.append(
            "Tên đăng nhập gồm 3–64 ký tự: chữ cái không dấu, chữ số, dấu chấm, gạch dưới, gạch ngang."
        )
    full_name = " ".join((data.full_name or "").split())
    if not full_name:
        problems.append("Vui lòng nhập họ và tên.")
    id_number = re.sub(r"\s", "", data.id_number or "")
    if not re.fullmatch(r"\d{12}", id_number):
        problems.append("Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số.")
    phone = ""
    try:
        phone = normalize_vn_mobile(data.phone or "")
    except InvalidPhone as exc:
        problems.append(exc.message)
    email = (data.email or "").strip(" \t")
    if email and not is_valid_email(email):
        problems.append("Địa chỉ thư điện tử không hợp lệ.")
    if data.unit_id is not None and data.unit_id not in office_unit_ids(session, office):
        problems.append("Đơn vị đã chọn không thuộc cơ quan bạn quản trị.")
    problems += _duplicates(session, exclude_id, username, id_number, phone)
    if problems:
        raise AdminError(" ".join(problems))
    return OfficialInput(username, full_name, id_number, phone, email, data.unit_id)


def _duplicates(
    session: Session, exclude_id: int | None, username: str, id_number: str, phone: str
) -> list[str]:
    def taken(*condition) -> Account | None:
        stmt = select(Account).where(*condition)
        if exclude_id is not None:
            stmt = stmt.where(Account.id != exclude_id)
        return session.exec(stmt.limit(1)).first()

    problems = []
    if username and taken(func.lower(Account.username) == username):
        problems.append(f"Tên đăng nhập «{username}» đã được dùng cho một tài khoản khác.")
    if id_number and (other := taken(Account.id_number == id_number)):
        problems.append(f"Số định danh cá nhân {id_number} đã có tài khoản ({_who(other)}).")
    if phone and (other := taken(Account.phone == phone)):
        problems.append(f"Số điện thoại {phone} đã được dùng cho tài khoản {_who(other)}.")
    return problems


def _who(account: Account) -> str:
    return f"tài khoản công dân {account.full_name}" if account.kind == "citizen" \
        else f"{account.full_name} — {account.username}"
