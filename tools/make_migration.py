"""Autogenerate a migration against a scratch SQLite database.

    python tools/make_migration.py "message" [rev_id]
"""

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alembic import command  # noqa: E402
from alembic.config import Config  # noqa: E402

from app.db import MIGRATIONS_DIR  # noqa: E402

with tempfile.TemporaryDirectory() as tmp:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{tmp}/scratch.db")
    command.upgrade(cfg, "head")
    command.revision(
        cfg, message=sys.argv[1], autogenerate=True, rev_id=sys.argv[2] if len(sys.argv) > 2 else None
    )
