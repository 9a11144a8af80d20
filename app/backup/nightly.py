"""The nightly backup at 02:00 local time, keeping BACKUP_KEEP archives."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from pathlib import Path

from nicegui import app, background_tasks, run

from app.settings import get_settings
from domain.clock import to_local, utcnow

from .archive import ARCHIVE_PREFIX
from .write import backup

log = logging.getLogger(__name__)


def archive_name(now: datetime | None = None) -> str:
    local = to_local(now or utcnow())
    return f"{ARCHIVE_PREFIX}{local:%Y%m%d-%H%M%S}.tar.gz"


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete the oldest archives beyond `keep`; returns what was deleted."""
    archives = sorted(p for p in folder.glob(f"{ARCHIVE_PREFIX}*.tar.gz") if p.is_file())
    doomed = archives[:-keep] if keep > 0 else []
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def nightly_backup() -> Path | None:
    settings = get_settings()
    if not settings.backup_dir:
        return None
    folder = Path(settings.backup_dir)
    result = backup(folder / archive_name())
    prune(folder, settings.backup_keep)
    return result.path


BACKUP_HOUR = 2


async def backup_loop() -> None:
    """Check the time once a minute; at 02:00 local, back up once and keep BACKUP_KEEP archives."""
    done_on = None
    while True:
        try:
            now = to_local(utcnow())
            if now.hour == BACKUP_HOUR and done_on != now.date():
                done_on = now.date()
                path = await run.io_bound(nightly_backup)
                log.info("nightly backup written: %s", path)
        except Exception:  # noqa: BLE001 — the loop must survive a failed night
            log.exception("nightly backup failed")
        await asyncio.sleep(60)


def start_backup_loop() -> None:
    """Start the loop with the app (call once, at start-up); nothing happens while BACKUP_DIR is empty."""
    def _start() -> None:
        if get_settings().backup_dir:
            background_tasks.create(backup_loop(), name="nightly-backup")

    app.on_startup(_start)
