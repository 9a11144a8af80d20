"""Accounts: one's own details (home page, contact card) and the citizen accounts an official created."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.db import session_scope
from domain.citizen_accounts import list_created_accounts, one_stop_units
from domain.models import Account, Office, Unit


@dataclass(frozen=True)
class AccountProfile:
    full_name: str
    id_number: str | None
    date_of_birth: date | None
    phone: str | None
    email: str | None
    last_login_at: datetime | None


def account_profile(account_id: int) -> AccountProfile:
    with session_scope() as session:
        a = session.get(Account, account_id)
        return AccountProfile(a.full_name, a.id_number, a.date_of_birth, a.phone, a.email, a.last_login_at)


def created_accounts(official_id: int, search: str, page: int, page_size: int) -> tuple[list[Account], int]:
    """The citizen accounts this official created (detached rows) and how many match in all."""
    with session_scope() as session:
        return list_created_accounts(session, official_id, search, page, page_size)


def desk_context(official_id: int, office_id: int | None) -> tuple[list[Unit], str]:
    """The one-stop units an official may create accounts for, and the name of their office."""
    with session_scope() as session:
        office = session.get(Office, office_id) if office_id else None
        return one_stop_units(session, official_id), office.name if office else ""
