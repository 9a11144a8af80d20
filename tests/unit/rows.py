"""A few rows for rule tests run in the in-memory unit of work (tests.fakes.memory_unit_of_work)."""
from __future__ import annotations

import itertools

from domain.access import CurrentUser, load_current_user
from domain.models import Account, Office, RightGrant, Unit

_codes = itertools.count(1)


def office(uow, name: str = "UBND phường Thử", **settings) -> Office:
    unit = Unit(code=f"U-{next(_codes)}", name=name, kind="office")
    uow.add(unit)
    uow.flush()
    row = Office(unit_id=unit.id, name=name, **settings)
    uow.add(row)
    uow.flush()
    return row


def official(uow, at: Office, *rights: str, username: str | None = None, password_hash: str = "x"
             ) -> CurrentUser:
    account = Account(kind="official", username=username or f"cb{next(_codes)}", full_name="Cán Bộ Thử",
                      unit_id=at.unit_id, office_id=at.id, password_hash=password_hash)
    uow.add(account)
    uow.flush()
    for right in rights:
        uow.add(RightGrant(account_id=account.id, office_id=at.id, right=right))
    uow.flush()
    return load_current_user(uow, account)


def citizen(uow, id_number: str = "001099000001", phone: str | None = None, password_hash: str = "x"
            ) -> CurrentUser:
    account = Account(kind="citizen", username=id_number, full_name="Công Dân Thử", id_number=id_number,
                      phone=phone or "09" + id_number[-8:], password_hash=password_hash)
    uow.add(account)
    uow.flush()
    return load_current_user(uow, account)
