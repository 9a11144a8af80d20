"""Start-up work shared by the server and the CLI: migrations and the demo seed."""
from __future__ import annotations

import logging

from app.db import migrate, write_scope
from app.demo import is_empty, seed_demo
from app.files import remove_leftover_temp_files
from app.settings import get_settings

log = logging.getLogger(__name__)


def prepare_database() -> None:
    settings = get_settings()
    migrate()
    if removed := remove_leftover_temp_files():
        log.info("Removed %s temp files left by an interrupted write", removed)
    if settings.demo:
        with write_scope() as session:
            if is_empty(session):
                seed_demo(session)
                log.info("Seeded the demo office")
