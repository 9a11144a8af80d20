"""Officials in the administrator's office (SPEC A2–A3): search and read them, add and edit them.
Same rules as the rest of domain/administration.py: the administrator's office only, one audit event per
change, one commit."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, select

from domain import audit
from domain.access import CurrentUser
from domain.admin_official_input import OfficialInput, clean_official
from domain.admin_official_status import issue_password
from domain.admin_rights import revoke_if_not_one_stop, rights_in_office
from domain.admin_scope import Page, admin_office, in_scope, paginate, scoped_account
from domain.clock import utcnow
from domain.models import Account, Office, Unit
from domain.phone import phone_search_key
from domain.rights import RIGHT_LABELS
from domain.text import fold

STATUS_FILTERS: dict[str, str] = {
    "active": "Đang hoạt động",
    "pending": "Chưa kích hoạt",
    "locked": "Đang bị khóa",
    "disabled": "Đã vô hiệu hóa",
    "all": "Tất cả",
}


@dataclass(frozen=True)
class OfficialRow:
    id: int
    username: str
    full_name: str
    id_number: str
    phone: str
    email: str
    unit_id: int | None
    unit_code: str
    unit_name: str
    status: str  # active | pending | disabled
    locked: bool
    rights: tuple[str, ...] = field(default_factory=tuple)  # in the administrator's office

    @property
    def status_label(self) -> str:
        if self.locked:
            return STATUS_FILTERS["locked"]
        return STATUS_FILTERS.get(self.status, self.status)


def search_officials(session: Session, user: CurrentUser, query: str = "", status: str = "active",
                     page: int = 1, page_size: int = 20) -> Page:
    """A2: officials by name (diacritics and case ignored), phone (any writing) or ID number."""
    office = admin_office(session, user)
    now = utcnow()
    conditions: list[Any] = [Account.kind == "official", in_scope(session, office)]
    if status == "active":
        conditions += [
            Account.status == "active",
            or_(Account.locked_until.is_(None), Account.locked_until <= now),
        ]
    elif status == "locked":
        conditions += [
            Account.status != "disabled",
            Account.locked_until.is_not(None),
            Account.locked_until > now,
        ]
    elif status in ("pending", "disabled"):
        conditions.append(Account.status == status)
    text_condition = _text_condition(query)
    if text_condition is not None:
        conditions.append(text_condition)
    total = session.exec(select(func.count()).select_from(Account).where(*conditions)).one()
    page, offset = paginate(total, page, page_size)
    accounts = session.exec(select(Account).where(*conditions).order_by(Account.name_folded, Account.id)
                            .offset(offset).limit(page_size)).all()
    return Page(_rows(session, office, accounts), total, page, page_size)


def get_official(session: Session, user: CurrentUser, account_id: int) -> OfficialRow:
    office = admin_office(session, user)
    return _rows(session, office, [scoped_account(session, office, account_id)])[0]


def create_official(session: Session, user: CurrentUser, data: OfficialInput, *,
                    send_password: bool = True) -> Account:
    """Add an official; an initial password goes by SMS, or the account waits for activation."""
    actor = audit.actor_of(user)
    office = admin_office(session, user)
    clean = clean_official(session, office, data, exclude_id=None)
    account = Account(
        kind="official",
        username=clean.username,
        full_name=clean.full_name,
        name_folded=fold(clean.full_name),
        id_number=clean.id_number,
        phone=clean.phone,
        email=clean.email or None,
        unit_id=clean.unit_id,
        office_id=office.id,
        created_by_id=actor.account_id,
        status="active" if send_password else "pending",
    )
    session.add(account)
    session.flush()
    if send_password:
        issue_password(session, account, office.id)
    audit.record(session, actor, "create_official", target_type="account", target_id=account.id,
                 office_id=office.id, summary=f"Thêm tài khoản công chức {account.username}; "
                 + ("mật khẩu ban đầu gửi qua SMS" if send_password else "chờ kích hoạt"))
    session.flush()
    return account


def update_official(session: Session, user: CurrentUser, account_id: int,
                    data: OfficialInput) -> list[str]:
    """Edit an official (A3: the work unit among them). Returns notes for the administrator, e.g.
    a one-stop-only right withdrawn because the new unit is not a one-stop section."""
    actor = audit.actor_of(user)
    office = admin_office(session, user)
    account = scoped_account(session, office, account_id)
    clean = clean_official(session, office, data, exclude_id=account.id)
    changes = []
    for attr, label in [
        ("username", "tên đăng nhập"),
        ("full_name", "họ và tên"),
        ("id_number", "số định danh"),
        ("phone", "số điện thoại"),
        ("email", "thư điện tử"),
    ]:
        new = getattr(clean, attr) or None
        if (getattr(account, attr) or None) != new:
            setattr(account, attr, new)
            changes.append(label)
    account.name_folded = fold(account.full_name)
    notes: list[str] = []
    if account.unit_id != clean.unit_id:
        old, new = (_unit_code(session, account.unit_id), _unit_code(session, clean.unit_id))
        account.unit_id = clean.unit_id
        changes.append(f"đơn vị ({old or 'chưa có'} → {new or 'chưa có'})")
        session.flush()
        notes = revoke_if_not_one_stop(session, office, account, actor)
    if not changes:
        return []
    audit.record(session, actor, "update_official", target_type="account", target_id=account.id,
                 office_id=office.id, summary=f"Sửa tài khoản {account.username}: " + ", ".join(changes))
    session.flush()
    return notes


# --- helpers -------------------------------------------------------------------------------------

def _text_condition(query: str):
    query = (query or "").strip()
    if not query:
        return None
    folded = fold(query)
    conditions = [Account.name_folded.contains(folded, autoescape=True),
                  func.lower(Account.username).contains(query.lower(), autoescape=True)]
    phone = phone_search_key(query)
    if phone:
        conditions.append(Account.phone == phone)
    digits = re.sub(r"[\s.+\-()]", "", query)
    if digits.isdigit() and len(digits) >= 3:
        conditions += [Account.id_number.startswith(digits, autoescape=True),
                       Account.old_id_number == digits, Account.phone.contains(digits, autoescape=True)]
    return or_(*conditions)


def _rows(session: Session, office: Office, accounts: list[Account]) -> list[OfficialRow]:
    units = {
        u.id: u
        for u in session.exec(select(Unit).where(Unit.id.in_({a.unit_id for a in accounts if a.unit_id})))
    }
    rights = rights_in_office(session, office.id, [a.id for a in accounts])
    now = utcnow()
    rows = []
    for a in accounts:
        unit = units.get(a.unit_id)
        rows.append(
            OfficialRow(
                a.id,
                a.username,
                a.full_name,
                a.id_number or "",
                a.phone or "",
                a.email or "",
                a.unit_id,
                unit.code if unit else "",
                unit.name if unit else "",
                a.status,
                bool(a.locked_until and a.locked_until > now),
                tuple(r for r in RIGHT_LABELS if r in rights.get(a.id, set())),
            )
        )
    return rows


def _unit_code(session: Session, unit_id: int | None) -> str:
    unit = session.get(Unit, unit_id) if unit_id else None
    return unit.code if unit else ""

