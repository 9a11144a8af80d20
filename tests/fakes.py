"""Small stand-ins for ports (domain/ports.py, domain/unit_of_work.py) in tests that are not about the
real part. A test about hashing, storage, signing, delivery or the database engines uses the real adapter
(tests/integration, both engines)."""
from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets
from collections.abc import Iterator

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

import domain.models  # noqa: F401 — every table in SQLModel.metadata
from domain import security
from domain.unit_of_work import committed


class CheapHasher:
    """A salted SHA-256 in place of argon2 (~50 ms a check on 2 cores): the rules around a code or a
    password (expiry, attempts, only the latest code) are the same, only the cost goes."""

    PREFIX = "$cheap$"

    def hash(self, secret: str) -> str:
        salt = secrets.token_hex(8)
        return f"{self.PREFIX}{salt}${hashlib.sha256((salt + secret).encode()).hexdigest()}"

    def verify(self, secret: str, hashed: str) -> bool:
        if not hashed.startswith(self.PREFIX):
            return False
        salt, digest = hashed[len(self.PREFIX):].split("$", 1)
        return hmac.compare_digest(digest, hashlib.sha256((salt + secret).encode()).hexdigest())

    def dummy_verify(self) -> None:
        """Nothing to spend: the real hasher burns a check's time here so unknown accounts answer alike."""


@contextlib.contextmanager
def cheap_hashing():
    """`with cheap_hashing(): …` — the process hashes with CheapHasher inside the block."""
    previous = security.use_hasher(CheapHasher())
    try:
        yield
    finally:
        security.use_hasher(previous)


_engine: Engine | None = None


def _memory_engine() -> Engine:
    """One SQLite database in memory per process, its tables created once (~0.1 s)."""
    global _engine
    if _engine is None:
        _engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})

        @event.listens_for(_engine, "connect")
        def _on_connect(dbapi_conn, _record):
            dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN, so savepoints work (as app.db)
            dbapi_conn.execute("PRAGMA foreign_keys=ON")

        @event.listens_for(_engine, "begin")
        def _on_begin(conn):
            conn.exec_driver_sql("BEGIN")

        SQLModel.metadata.create_all(_engine)
    return _engine


@contextlib.contextmanager
def memory_unit_of_work() -> Iterator[Session]:
    """The unit of work (domain/unit_of_work.py) for rule tests, in memory: the real queries of the use
    cases run on SQLite in memory, and everything is rolled back at the end, so each test starts empty.
    `uow.commit()` plays the runner's commit (a savepoint inside the test's transaction).

    Why not hand-written in-memory repositories: the use cases query with SQL (joins, counts, FOR UPDATE,
    bulk updates); a fake that answered those by hand would test the fake. The engines' differences
    (locking, PostgreSQL) stay with tests/integration, on both engines."""
    with _memory_engine().connect() as connection:
        outer = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            yield session
        finally:
            session.close()
            outer.rollback()


def run(uow: Session, use_case, *args, **kw):
    """What the runner does around a use case (domain.unit_of_work.committed): commit once when it returns;
    roll back when it raises, except a refusal marked `kept` (domain.errors.kept): its count is kept."""
    with committed(uow):
        return use_case(uow, *args, **kw)
