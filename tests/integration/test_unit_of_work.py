"""The unit of work of app/db.py on both engines (issue 28): a use case's changes are committed once when
it returns, and none of them when it raises, except what a refusal marked `kept` counted."""
from __future__ import annotations

import pytest
from sqlmodel import select

from app.db import session_scope, write_scope
from domain.errors import DomainError, kept
from domain.models import Unit


def add_unit(session, code: str) -> None:
    session.add(Unit(code=code, name=code))
    session.flush()


def units(*codes: str) -> list[str]:
    with session_scope() as session:
        return sorted(session.exec(select(Unit.code).where(Unit.code.in_(codes))).all())


def test_the_unit_of_work_commits_when_the_use_case_returns_and_only_what_a_kept_refusal_counted(db_url):
    with write_scope() as session:
        add_unit(session, "UOW-RETURNED")
    with pytest.raises(DomainError), write_scope() as session:
        add_unit(session, "UOW-REFUSED")
        raise DomainError("Không được.")
    with pytest.raises(DomainError), write_scope() as session:
        add_unit(session, "UOW-KEPT")
        raise kept(DomainError("Sai mã; lần sai được đếm."))
    with pytest.raises(RuntimeError), write_scope() as session:
        add_unit(session, "UOW-FAILED")
        raise RuntimeError("a bug")
    with pytest.raises(DomainError), session_scope() as session:  # the reading scope: the same rule
        add_unit(session, "UOW-READ-KEPT")
        raise kept(DomainError("…"))
    assert units("UOW-RETURNED", "UOW-REFUSED", "UOW-KEPT", "UOW-FAILED", "UOW-READ-KEPT") == [
        "UOW-KEPT", "UOW-READ-KEPT", "UOW-RETURNED"]
