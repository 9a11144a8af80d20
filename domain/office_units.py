"""Units (đơn vị) of the administrator's office: search by identifier code or name, create, edit (A3, A5)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlmodel import Session, select

from domain import audit
from domain.access import CurrentUser
from domain.admin_rights import revoke_if_not_one_stop
from domain.admin_scope import AdminError, Page, admin_office, office_unit_ids, paginate
from domain.models import Account, Office, Unit
from domain.text import ONE_STOP_MARKER, contains_one_stop_marker, fold

UNIT_KINDS: dict[str, str] = {"office": "Cơ quan", "one_stop": "Bộ phận Một cửa", "other": "Đơn vị khác"}
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,63}")


@dataclass(frozen=True)
class UnitInput:
    code: str
    name: str
    kind: str = "other"
    parent_id: int | None = None


@dataclass(frozen=True)
class UnitRow:
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    parent_label: str
    is_one_stop: bool  # A5: by the name, whatever the kind says
    members: int

    @property
    def label(self) -> str:
        return f"{self.code} — {self.name}"


def search_units(session: Session, user: CurrentUser, query: str = "", page: int = 1,
                 page_size: int = 20) -> Page:
    """A3: units of the office by identifier code or by name (case and diacritics ignored)."""
    office = admin_office(session, user)
    conditions = [Unit.id.in_(office_unit_ids(session, office))]
    query = (query or "").strip()
    if query:
        conditions.append(or_(func.lower(Unit.code).contains(query.lower(), autoescape=True),
                              Unit.name_folded.contains(fold(query), autoescape=True)))
    total = session.exec(select(func.count()).select_from(Unit).where(*conditions)).one()
    page, offset = paginate(total, page, page_size)
    units = session.exec(
        select(Unit).where(*conditions).order_by(Unit.code).offset(offset).limit(page_size)
    ).all()
    return Page(_rows(session, units), total, page, page_size)


def get_unit(session: Session, user: CurrentUser, unit_id: int) -> UnitRow:
    office = admin_office(session, user)
    return _rows(session, [_scoped_unit(session, office, unit_id)])[0]


def create_unit(session: Session, user: CurrentUser, data: UnitInput) -> Unit:
    actor = audit.actor_of(user)
    office = admin_office(session, user)
    clean = _clean(session, office, data, unit=None)
    unit = Unit(code=clean.code, name=clean.name, name_folded=fold(clean.name), kind=clean.kind,
                parent_id=clean.parent_id)
    session.add(unit)
    session.flush()
    audit.record(session, actor, "create_unit", target_type="unit", target_id=unit.id, office_id=office.id,
                 summary=f"Thêm đơn vị {unit.code} — {unit.name}")
    session.flush()
    return unit


def update_unit(
    session: Session, user: CurrentUser, unit_id: int, data: UnitInput
) -> list[str]:
    """Edit a unit; if its name loses «Bộ phận Một cửa», its officials lose the one-stop-only rights
    (the notes say so)."""
    actor = audit.actor_of(user)
    office = admin_office(session, user)
    unit = _scoped_unit(session, office, unit_id)
    clean = _clean(session, office, data, unit=unit)
    changes = [
        label
        for attr, label in [("code", "mã"), ("name", "tên"), ("kind", "loại"), ("parent_id", "đơn vị cha")]
        if getattr(unit, attr) != getattr(clean, attr)
    ]
    if not changes:
        return []
    unit.code, unit.name, unit.kind, unit.parent_id = clean.code, clean.name, clean.kind, clean.parent_id
    unit.name_folded = fold(unit.name)
    session.flush()
    audit.record(session, actor, "update_unit", target_type="unit", target_id=unit.id, office_id=office.id,
                 summary=f"Sửa đơn vị {unit.code}: " + ", ".join(changes))
    notes = []
    for account in session.exec(select(Account).where(Account.unit_id == unit.id)).all():
        notes += [f"{account.username}: {n}" for n in revoke_if_not_one_stop(session, office, account, actor)]
    session.flush()
    return notes


def _rows(session: Session, units: list[Unit]) -> list[UnitRow]:
    parent_ids = {u.parent_id for u in units if u.parent_id}
    parents = (
        {u.id: u for u in session.exec(select(Unit).where(Unit.id.in_(parent_ids)))} if parent_ids else {}
    )
    counts = dict(
        session.exec(
            select(Account.unit_id, func.count())
            .where(Account.unit_id.in_([u.id for u in units]), Account.kind == "official")
            .group_by(Account.unit_id)
        ).all()
    )
    rows = []
    for u in units:
        parent = parents.get(u.parent_id)
        rows.append(
            UnitRow(
                u.id,
                u.code,
                u.name,
                u.kind,
                u.parent_id,
                f"{parent.code} — {parent.name}" if parent else "",
                contains_one_stop_marker(u.name),
                counts.get(u.id, 0),
            )
        )
    return rows


def _scoped_unit(session: Session, office: Office, unit_id: int | None) -> Unit:
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    if unit is None or unit.id not in office_unit_ids(session, office):
        raise AdminError("Đơn vị không tồn tại hoặc không thuộc cơ quan bạn quản trị.")
    return unit


def _clean(session: Session, office: Office, data: UnitInput, *, unit: Unit | None) -> UnitInput:
    problems = []
    code = (data.code or "").strip()
    if not _CODE.fullmatch(code):
        problems.append(
            "Mã định danh gồm chữ cái không dấu, chữ số, dấu chấm, gạch dưới, gạch ngang (tối đa 64 ký tự)."
        )
    name = " ".join((data.name or "").split())
    if not name:
        problems.append("Vui lòng nhập tên đơn vị.")
    if data.kind not in UNIT_KINDS:
        problems.append("Loại đơn vị không hợp lệ.")
    elif data.kind == "one_stop" and name and not contains_one_stop_marker(name):
        problems.append(f"Đơn vị loại Bộ phận Một cửa phải có tên chứa «{ONE_STOP_MARKER}» "
                        "(chỉ khi đó công chức của đơn vị mới được cấp quyền tạo tài khoản cho công dân).")
    parent_id, problem = _parent(session, office, unit, data.parent_id)
    if problem:
        problems.append(problem)
    if code and _code_taken(session, code, unit):
        problems.append(f"Mã định danh «{code}» đã được dùng cho một đơn vị khác.")
    if problems:
        raise AdminError(" ".join(problems))
    return UnitInput(code, name, data.kind, parent_id)


def _parent(
    session: Session, office: Office, unit: Unit | None, parent_id: int | None
) -> tuple[int | None, str | None]:
    """The parent unit to keep, and why it cannot be (Vietnamese) or None."""
    in_office = office_unit_ids(session, office)
    if unit is not None and unit.id == office.unit_id:
        if parent_id != unit.parent_id:
            return parent_id, "Không thể đổi đơn vị cha của đơn vị gốc của cơ quan."
    elif parent_id is None:
        parent_id = office.unit_id  # a new unit belongs to the office unless told otherwise
    elif parent_id not in in_office:
        return parent_id, "Đơn vị cha không thuộc cơ quan bạn quản trị."
    elif unit is not None and parent_id in _subtree(session, unit.id):
        return parent_id, "Đơn vị cha không thể là chính đơn vị này hoặc một đơn vị cấp dưới của nó."
    return parent_id, None


def _code_taken(session: Session, code: str, unit: Unit | None) -> bool:
    """Another unit has this code already (case ignored)."""
    taken = select(Unit).where(func.lower(Unit.code) == code.lower())
    if unit is not None:
        taken = taken.where(Unit.id != unit.id)
    return session.exec(taken.limit(1)).first() is not None


def _subtree(session: Session, unit_id: int) -> set[int]:
    found, todo = set(), [unit_id]
    while todo:
        current = todo.pop()
        found.add(current)
        todo += [u for u in session.exec(select(Unit.id).where(Unit.parent_id == current)) if u not in found]
    return found
