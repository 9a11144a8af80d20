"""The unit of work: what a use case changes rows through, and the one place a change is committed.

A use case takes it as its first argument (named `session` or `uow`), and who acts as its second: the
signed-in `domain.access.CurrentUser` (`user`), or for a page open to everyone the anonymous
`domain.audit.visitor`. It only reads and changes rows: add, delete, get, exec, flush. It never
commits: whoever opened the unit of work (`app.web.actions.run_action` / `read_now` / `run_public`, a
step of a `run_steps` orchestration, a job, a CLI command — through `app.db.write_scope` or
`session_scope`) commits it once when the use case returns, and rolls it back when it raises. A refusal
that must still keep what it counted (a wrong code, a wrong password) is raised as
`kept(SomeDomainError(...))`: the unit of work commits the count, then passes the refusal on.

A use case that must not hold a transaction across slow work (signing, OCR, the network) is two or three
use cases, each run in its own unit of work by an orchestration that takes a unit-of-work factory instead:
`(units, user, *args)` (`Units` below: `with units.write() as uow:` per step; app/signing/sign_seal.py).

`committed` below is the one place a change is committed; `app/db.py` opens it over a SQLAlchemy session,
tests/fakes.py over an in-memory one.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol

from domain.errors import DomainError


class UnitOfWork(Protocol):
    """Session-like: the subset of sqlmodel.Session the domain uses. `commit` and `rollback` belong to
    whoever opened it (the runner), never to a use case."""

    def add(self, instance: Any) -> None: ...

    def add_all(self, instances: Any) -> None: ...

    def delete(self, instance: Any) -> None: ...

    def get(self, entity: Any, ident: Any, **kw: Any) -> Any: ...

    def exec(self, statement: Any, **kw: Any) -> Any: ...

    def flush(self) -> None: ...

    def refresh(self, instance: Any, **kw: Any) -> None: ...

    def begin_nested(self) -> Any:
        """A savepoint: a step that may fail (a race on a unique key) without undoing the rest."""
        ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


@contextmanager
def committed(uow: UnitOfWork) -> Iterator[UnitOfWork]:
    """Commit once when the block ends; roll back when it raises, except a refusal marked `kept` (its
    count is committed, then it goes on)."""
    try:
        yield uow
    except DomainError as exc:
        uow.commit() if exc.keep else uow.rollback()
        raise
    except BaseException:
        uow.rollback()
        raise
    uow.commit()


class Units(Protocol):
    """A unit-of-work factory, for an orchestration of several steps: each step opens its own short unit
    of work (app.db.UNITS; app.web.actions.run_steps hands it to the use case)."""

    def write(self) -> AbstractContextManager[UnitOfWork]:
        """A step that writes (on SQLite it takes the write lock from its start)."""
        ...

    def read(self) -> AbstractContextManager[UnitOfWork]:
        """A step that reads (or makes a small write)."""
        ...
