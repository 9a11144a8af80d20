"""Lockout per address and account (issue 12.7): it stops the address that guessed, never the owner
elsewhere; an administrator's unlock lifts it for every address."""
from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import select

from app.db import session_scope, write_scope
from domain import accounts
from domain import administration as adm
from domain.access import load_current_user
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
        user = replace(load_current_user(s, admin), client_addr="10.0.0.2")
        target = s.exec(select(Account.id).where(Account.username == "vanthu")).one()
    with write_scope() as s:
        adm.unlock(s, user, target)
    assert attempt("vanthu", "doan-mo-2", "203.0.113.9") == accounts.WRONG_CREDENTIALS


@pytest.mark.parametrize("failures, slowed", [(9, False), (12, True)])
def test_many_addresses_guessing_one_account_slow_it_down_without_locking(db_url, failures, slowed):
    for i in range(failures):
        attempt("lanhdao", "doan-mo", f"198.51.100.{i}")
    with session_scope() as s:
        delay = accounts.sign_in_delay_seconds(s, "lanhdao", "10.0.0.5")
    assert (delay > 0) == slowed and delay <= accounts.MAX_DELAY_SECONDS
    assert attempt("lanhdao", "demo1234", "10.0.0.5") == "ok"


class CountingHasher:
    """Argon2's port, counting the checks a sign-in makes (real or dummy): the work must not tell."""

    def __init__(self):
        from domain.security import Argon2Hasher

        self.real, self.checks = Argon2Hasher(), 0

    def hash(self, secret: str) -> str:
        return self.real.hash(secret)

    def verify(self, secret: str, hashed: str) -> bool:
        self.checks += 1
        return self.real.verify(secret, hashed)

    def dummy_verify(self) -> None:
        self.checks += 1
        self.real.dummy_verify()


def test_an_unknown_login_costs_the_same_password_check_and_gets_the_same_words(db_url):
    from domain import security

    counter = CountingHasher()
    previous = security.use_hasher(counter)
    try:
        answers = {}
        for login in ("vanthu", "khong-co-ai"):
            counter.checks = 0
            answers[login] = (attempt(login, "doan-mo-1", "203.0.113.7"), counter.checks)
    finally:
        security.use_hasher(previous)
    assert answers["vanthu"] == answers["khong-co-ai"] == (accounts.WRONG_CREDENTIALS, 1)


def test_an_unknown_login_locks_and_slows_like_an_existing_one(db_url):
    """Someone probing which logins exist sees the same answers: five wrong passwords lock the address
    out of an unknown login as of a real one, and guessing from many addresses slows both alike."""
    answers = {}
    for login in ("vanthu", "khong-co-ai"):
        answers[login] = [attempt(login, f"doan-mo-{i}", "203.0.113.9") for i in range(7)]
    assert answers["vanthu"] == answers["khong-co-ai"]
    assert answers["khong-co-ai"][-1] == accounts.LOCKED
    for login in ("lanhdao", "ai-do-khong-co"):
        for i in range(12):
            attempt(login, "doan-mo", f"198.51.100.{i}")
    with session_scope() as s:
        delays = [accounts.sign_in_delay_seconds(s, login, "10.0.0.5")
                  for login in ("lanhdao", "ai-do-khong-co")]
    assert delays[0] == delays[1] > 0
