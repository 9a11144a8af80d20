"""What an archive holds and how it is named and checked."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from domain.errors import DomainError

FORMAT = 1
SQLITE_NAME = "database/chungthuc.db"
PGDUMP_NAME = "database/chungthuc.pgdump"
ARCHIVE_PREFIX = "chungthuc-backup-"
CHUNK = 1 << 20


class BackupError(DomainError):
    """A backup or restore that cannot go on; `message` says why."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    files: int
    size: int


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def safe_name(name: str) -> bool:
    p = PurePosixPath(name)
    return not p.is_absolute() and ".." not in p.parts and name == p.as_posix()
