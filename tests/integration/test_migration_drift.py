"""The tables the code declares (domain.models) are exactly the tables the migrations build, on both
engines: a model changed without its migration (or the reverse) fails here, not in production."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import domain.models  # noqa: F401 — registers the tables
from app.db import MIGRATIONS_DIR, get_engine


def _differences() -> list:
    with get_engine().connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, SQLModel.metadata)
    # SQLite reflects no server defaults reliably; type differences of the same affinity are noise there
    return [d for d in diffs if not (isinstance(d, list) and d and d[0][0] == "modify_default")]


def test_models_equal_migrations(db_url):
    assert _differences() == []


def test_migrations_form_one_line():
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    heads = ScriptDirectory.from_config(cfg).get_heads()
    assert len(heads) == 1, f"several migration heads: {heads}"
