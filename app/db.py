"""Database engine and sessions: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from app.settings import get_settings
from domain.unit_of_work import committed

_engine: Engine | None = None
_engine_url: str | None = None

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def normalise_url(url: str) -> str:
    """Let operators write postgresql://…; we drive it with psycopg 3."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str, busy_seconds: int = 30) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        # a writer that meets another's write lock waits (DB_BUSY_TIMEOUT) instead of failing at once
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy_seconds})
        _configure_sqlite(engine, busy_seconds)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _configure_sqlite(engine: Engine, busy_seconds: int = 30) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy, not the driver, decide when transactions begin (see _on_begin).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_seconds * 1000)}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A writing use case takes the write lock at its start (BEGIN IMMEDIATE): a deferred
        # transaction that later tries to write can fail at once with "database is locked".
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def get_engine() -> Engine:
    global _engine, _engine_url
    settings = get_settings()
    url = settings.database_url
    if _engine is None or _engine_url != url:
        if _engine is not None:
            _engine.dispose()
        _engine, _engine_url = make_engine(url, settings.db_busy_seconds), url
    return _engine


def dispose_engine() -> None:
    global _engine, _engine_url
    if _engine is not None:
        _engine.dispose()
    _engine, _engine_url = None, None


@contextmanager
def session_scope() -> Iterator[Session]:
    """A unit of work for reading (or a small write): it does not take SQLite's write lock first."""
    with _unit_of_work(get_engine()) as session:
        yield session


@contextmanager
def write_scope() -> Iterator[Session]:
    """The unit of work of a use case that writes: on SQLite it holds the write lock from its start."""
    with _unit_of_work(get_engine().execution_options(sqlite_immediate=True)) as session:
        yield session


@contextmanager
def _unit_of_work(engine: Engine) -> Iterator[Session]:
    """The unit of work (domain/unit_of_work.py) over a SQLAlchemy session: `committed` commits it once."""
    with Session(engine, expire_on_commit=False) as session, committed(session):
        yield session


class _Units:
    """The unit-of-work factory (domain.unit_of_work.Units) over this database."""
    write = staticmethod(write_scope)
    read = staticmethod(session_scope)


UNITS = _Units()


def migrate(url: str | None = None) -> None:
    """Apply Alembic migrations up to head."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option(
        "sqlalchemy.url", normalise_url(url or get_settings().database_url).replace("%", "%%")
    )
    command.upgrade(cfg, "head")


def is_reachable() -> bool:
    try:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 — health check reports, never raises
        return False


import app.outbound  # noqa: E402,F401 — installs the operator's policy (allowed hosts, tokens)
import app.outbox.outbox_secrets  # noqa: E402,F401 — installs the SMS outbox's SecretBox for the use cases
