"""Rows and moves for the in-memory tests of domain/accounts.py (test_account_rules.py,
test_account_sessions.py): accounts with a known password, a sign-in attempt as the runner makes it,
the audit's events."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import func, select

from domain import accounts
from domain.audit import Actor
from domain.models import Account, AuditEvent, LoginFailure
from domain.security import hash_password
from tests.fakes import run
from tests.unit import rows

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # a Monday, 09:00 in Hà Nội (long before the process clock)
RIGHT = "Dung-mat-khau-1"
NO_IDLE = {"official": 0, "citizen": 0}


def official(uow, office, username="canbo", **fields) -> Account:
    account = uow.get(Account, rows.official(uow, office, username=username,
                                             password_hash=hash_password(RIGHT)).account_id)
    for name, value in fields.items():
        setattr(account, name, value)
    settle(uow)
    return account


def citizen(uow, id_number="001099012345", phone="0987654321") -> Account:
    made = rows.citizen(uow, id_number, phone, password_hash=hash_password(RIGHT))
    account = uow.get(Account, made.account_id)
    settle(uow)
    return account


def settle(uow) -> None:
    """Commit what the test wrote (a refused use case rolls back to the last commit, as the runner does)."""
    run(uow, lambda s: None)


def attempt(uow, login, password="sai-mat-khau", addr="10.0.0.1", at=T0):
    """The words a sign-in answers, or the SignedIn."""
    try:
        return run(uow, accounts.sign_in, login, password, client_addr=addr, now=at)
    except accounts.SignInError as refused:
        return refused.message


def events(uow, action):
    return uow.exec(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def failures(uow) -> int:
    return uow.exec(select(func.count()).select_from(LoginFailure)).one()

def fail(uow, login, times, addr="10.0.0.1", start=T0):
    for n in range(times):
        attempt(uow, login, addr=addr, at=start + timedelta(seconds=n))



def signed_in(uow, login="canbo", at=T0):
    return attempt(uow, login, RIGHT, at=at).token



def change(uow, account, old, new, keep=None):
    try:
        run(uow, accounts.change_password, account.id, old, new, Actor(account.id, account.full_name), keep)
    except accounts.SignInError as refused:
        return refused.message
    return "ok"

