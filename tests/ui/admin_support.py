"""Helpers for the administration page tests."""
from __future__ import annotations

from nicegui.testing import User
from sqlmodel import select

from app.db import session_scope
from domain.models import Account, RightGrant, Unit


async def sign_in(user: User, login: str = "admin", password: str = "demo1234") -> None:
    await user.open("/login")
    user.find(marker="login").type(login)
    user.find(marker="password").type(password)
    user.find(marker="submit").click()
    await user.should_see(marker="user-name", retries=100)


def account(username: str) -> Account:
    with session_scope() as s:
        return s.exec(select(Account).where(Account.username == username)).one()


def unit(code: str) -> Unit:
    with session_scope() as s:
        return s.exec(select(Unit).where(Unit.code == code)).one()


def rights_of(username: str) -> set[str]:
    with session_scope() as s:
        return set(s.exec(select(RightGrant.right).where(RightGrant.account_id == account(username).id)))


def set_input(user: User, marker: str, text: str) -> None:
    """Replace an input's text (type() appends)."""
    user.find(marker=marker).clear().type(text)


async def text_of(user: User, marker: str, tries: int = 100) -> str:
    """The text of a message label once an action (run off the event loop) has filled it."""
    import asyncio

    for _ in range(tries):
        text = user.find(marker=marker).elements.pop().text
        if text:
            return text
        await asyncio.sleep(0.1)
    return ""
