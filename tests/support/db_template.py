"""A migrated, demo-seeded database made once per test session and copied for every test that asks the app
to prepare a fresh one: migrating and seeding took ~0.6 s (2 s on a loaded machine) in hundreds of tests.

Only a brand-new database under the system clock is served from the template, so a test that seeds at a
fixed time, or prepares a database it already wrote to, still runs the real `prepare_database`. The real
one always runs afterwards too (its migration finds the head, its seeding finds the office), so what the
app does at start-up is still exercised."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

_templates: dict[str, str] = {}  # engine name -> template (SQLite file path or PostgreSQL database name)


def prepare_from_template(real_prepare) -> None:
    from app.db import dispose_engine
    from app.settings import get_settings
    from domain import clock

    settings = get_settings()
    url = make_url(settings.database_url)
    usable = settings.demo and clock._clock is clock.SYSTEM_CLOCK
    if usable and url.get_backend_name() == "sqlite":
        _sqlite(Path(url.database), real_prepare)
    elif usable and url.get_backend_name() == "postgresql":
        dispose_engine()
        _postgresql(settings.database_url, real_prepare)
    else:
        real_prepare()


def _sqlite(path: Path, real_prepare) -> None:
    template = _templates.get("sqlite")
    shared = _shared_template()
    if shared is not None:  # `make mutation`: one template for every pytest session of a module's run
        template = str(shared) if shared.exists() else None
    if path.exists() or template is None:
        fresh = not path.exists()
        real_prepare()
        if fresh and template is None:
            _templates["sqlite"] = _copy_sqlite(path, path.with_name("template-" + path.name))
            if shared is not None and "__mutmut_" not in os.environ.get("MUTANT_UNDER_TEST", ""):
                shared.parent.mkdir(parents=True, exist_ok=True)  # only the unmutated code makes it
                os.replace(_copy_sqlite(path, shared.with_name(f"{shared.name}.{os.getpid()}")), shared)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    _copy_sqlite(Path(template), path)
    real_prepare()


def _shared_template() -> Path | None:
    folder = os.environ.get("TEST_DB_TEMPLATE_DIR")
    return Path(folder) / "template.sqlite" if folder else None


def _copy_sqlite(source: Path, target: Path) -> str:
    """A consistent copy (the backup API sees the write-ahead log too)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return str(target)


def _postgresql(database_url: str, real_prepare) -> None:
    import psycopg

    from app.db import dispose_engine

    plain = database_url.replace("postgresql+psycopg://", "postgresql://")
    name = plain.rsplit("/", 1)[1]
    server = plain.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(plain, autocommit=True) as conn:
        empty = not conn.execute("SELECT count(*) FROM information_schema.tables "
                                 "WHERE table_schema = 'public'").fetchone()[0]
    template = _templates.get("postgresql")
    if not empty:
        real_prepare()
        return
    if template is None:
        real_prepare()
        dispose_engine()
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "tpl_{name}" TEMPLATE "{name}"')
        _templates["postgresql"] = f"tpl_{name}"
        return
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    real_prepare()
