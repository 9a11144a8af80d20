"""What every administration use case shares: the refusal, paging, and the administrator's scope
(the office in use, checked against the database, and the units of that office's tree)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from domain.access import AccessDenied, CurrentUser
from domain.errors import DomainError
from domain.models import Account, Office, RightGrant, Unit
from domain.rights import Right


class AdminError(DomainError):
    """A refused administration action; `message` is shown to the administrator as is."""


@dataclass(frozen=True)
class Page:
    items: list
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def paginate(total: int, page: int, page_size: int) -> tuple[int, int]:
    """(page clamped to 1..last, offset) for LIMIT/OFFSET."""
    last = max(1, -(-total // page_size))
    page = min(max(1, int(page or 1)), last)
    return page, (page - 1) * page_size


def admin_office(session: Session, user: CurrentUser) -> Office:
    """The office the user administers now. The CurrentUser may be stale (built when the page
    opened), so the right is checked again against the database."""
    user.require(Right.ADMINISTER)
    if user.office_id is None:
        raise AccessDenied()
    account = session.get(Account, user.account_id)
    grant = session.exec(select(RightGrant.id).where(
        RightGrant.account_id == user.account_id, RightGrant.office_id == user.office_id,
        RightGrant.right == Right.ADMINISTER)).first()
    office = session.get(Office, user.office_id)
    if account is None or account.status != "active" or grant is None or office is None:
        raise AccessDenied()
    return office


def office_unit_ids(session: Session, office: Office) -> set[int]:
    """The office's own unit and every unit below it, stopping at another office's unit (a district
    office whose tree holds its communes' offices still does not reach into them)."""
    children: dict[int | None, list[int]] = {}
    other_offices = set(session.exec(select(Office.unit_id).where(Office.id != office.id)))
    for unit_id, parent_id in session.exec(select(Unit.id, Unit.parent_id)):
        if unit_id not in other_offices:
            children.setdefault(parent_id, []).append(unit_id)
    found, todo = set(), [office.unit_id]
    while todo:
        unit_id = todo.pop()
        if unit_id in found:
            continue
        found.add(unit_id)
        todo.extend(children.get(unit_id, []))
    return found


def in_scope(session: Session, office: Office):
    """The office's own officials: every official belongs to exactly one office (never "unassigned =
    everyone's"), so an administrator never reaches another office's staff."""
    return Account.office_id == office.id


def scoped_account(session: Session, office: Office, account_id: int | None) -> Account:
    account = session.exec(select(Account).where(Account.id == account_id, Account.kind == "official",
                                                 in_scope(session, office))).first()
    if account is None:
        raise AdminError("Tài khoản không tồn tại hoặc không thuộc cơ quan bạn quản trị. "
                         "Hãy tìm lại, hoặc thêm tài khoản mới.")
    return account
