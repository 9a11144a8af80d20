"""Lockout per address and account (issue 12.7): it stops the address that guessed, never the owner
elsewhere; an administrator's unlock lifts it for every address."""
from __future__ import annotations

import pytest
from sqlmodel import select

from app.db import session_scope, write_scope
from domain import accounts
from domain import administration as adm
from domain.access import load_current_user
from domain.audit import Actor
from domain.models import Account


def attempt(login: str, password: str, addr: str) -> str:
    with write_scope() as session:
        try:
            accounts.sign_in(session, login, password, client_addr=addr)
        except accounts.SignInError as exc:
            return exc.message
    return "ok"


def test_guessing_locks_the_guessing_address_only_until_an_administrator_unlocks(db_url):
    for _ in range(5):
        attempt("vanthu", "doan-mo-1", "203.0.113.9")
    assert attempt("vanthu", "demo1234", "203.0.113.9") == accounts.LOCKED  # even the right password
    assert attempt("vanthu", "demo1234", "10.0.0.5") == "ok"  # the owner at the office
    with session_scope() as s:
        admin = s.exec(select(Account).where(Account.username == "admin")).one()
        user, actor = load_current_user(s, admin), Actor(admin.id, admin.full_name, "10.0.0.2")
        target = s.exec(select(Account.id).where(Account.username == "vanthu")).one()
    with write_scope() as s:
        adm.unlock(s, user, actor, target)
    assert attempt("vanthu", "doan-mo-2", "203.0.113.9") == accounts.WRONG_CREDENTIALS


@pytest.mark.parametrize("failures, slowed", [(9, False), (12, True)])
def test_many_addresses_guessing_one_account_slow_it_down_without_locking(db_url, failures, slowed):
    for i in range(failures):
        attempt("lanhdao", "doan-mo", f"198.51.100.{i}")
    with session_scope() as s:
        delay = accounts.sign_in_delay_seconds(s, "lanhdao", "10.0.0.5")
    assert (delay > 0) == slowed and delay <= accounts.MAX_DELAY_SECONDS
    assert attempt("lanhdao", "demo1234", "10.0.0.5") == "ok"
