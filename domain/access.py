"""Who may do what, where: rights are held per official per office."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from domain.errors import DomainError
from domain.models import Account, Office, RightGrant


class AccessDenied(DomainError):
    """Not this user's right or office; the default text serves when no more can be said."""

    def __init__(self, message: str = "Bạn không có quyền thực hiện thao tác này."):
        super().__init__(message)


@dataclass(frozen=True)
class CurrentUser:
    """The signed-in account as the pages see it: its office in use and its rights there."""
    account_id: int
    username: str
    full_name: str
    kind: str  # official | citizen
    office_id: int | None = None
    office_name: str = ""
    rights: frozenset[str] = field(default_factory=frozenset)
    offices: tuple[tuple[int, str], ...] = ()
    must_change_password: bool = False
    title: str | None = None
    client_addr: str = ""  # where the current action comes from (set by the action runner)

    @property
    def is_citizen(self) -> bool:
        return self.kind == "citizen"

    def has(self, right: str) -> bool:
        return right in self.rights

    def require(self, right: str, office_id: int | None = None) -> None:
        """Raise AccessDenied unless the right is held in the office in use (and it is office_id)."""
        if self.is_citizen or right not in self.rights:
            raise AccessDenied()
        if office_id is not None and office_id != self.office_id:
            raise AccessDenied("Hồ sơ này thuộc cơ quan khác.")


def rights_by_office(session: Session, account_id: int) -> dict[int, set[str]]:
    result: dict[int, set[str]] = {}
    for grant in session.exec(select(RightGrant).where(RightGrant.account_id == account_id)):
        result.setdefault(grant.office_id, set()).add(grant.right)
    return result


def load_current_user(session: Session, account: Account) -> CurrentUser:
    """Build the CurrentUser: an official works in their one office, with the rights held there only."""
    if account.kind == "citizen":
        return CurrentUser(account.id, account.username, account.full_name, "citizen",
                           must_change_password=account.must_change_password)
    office = session.get(Office, account.office_id) if account.office_id is not None else None
    rights: set[str] = set()
    if office is not None:
        rights = set(session.exec(select(RightGrant.right).where(RightGrant.account_id == account.id,
                                                                 RightGrant.office_id == office.id)))
    offices = ((office.id, office.name),) if office is not None else ()
    return CurrentUser(account.id, account.username, account.full_name, "official",
                       office.id if office else None, office.name if office else "", frozenset(rights),
                       offices, account.must_change_password, account.title)
