"""Writing a whole archive, atomically: the database snapshot first, then the file store."""
from __future__ import annotations

import io
import json
import os
import tarfile
import tempfile
from pathlib import Path

from app.files import fsync_dir
from app.settings import get_settings
from domain.clock import utcnow

from .archive import FORMAT, BackupResult, sha256_file
from .database import db_kind, dump_database


def _data_members(data_dir: Path) -> list[tuple[str, Path]]:
    members: list[tuple[str, Path]] = []
    for sub in ("files", "pki"):
        root = data_dir / sub
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.name.startswith(".tmp-"):
                    members.append((f"data/{path.relative_to(data_dir).as_posix()}", path))
    secret = data_dir / "storage_secret"
    if secret.is_file():
        members.append(("data/storage_secret", secret))
    return members


def backup(target: str | Path) -> BackupResult:
    """Write a whole archive at `target` (atomically). Returns what was written."""
    settings = get_settings()
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=target.parent) as tmp:
        workdir = Path(tmp)
        db_name, db_file = dump_database(settings.database_url, workdir)
        members = [(db_name, db_file), *_data_members(settings.data_dir)]
        hashes: dict[str, str] = {}
        partial = workdir / "archive.tar.gz"
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            for name, path in members:
                try:
                    digest = sha256_file(path)
                    info = tar.gettarinfo(str(path), arcname=name)
                    info.uid = info.gid = 0
                    info.uname = info.gname = ""
                    with open(path, "rb") as f:
                        tar.addfile(info, f)
                except FileNotFoundError:
                    continue  # a temp file that went away
                hashes[name] = digest
            manifest = {"format": FORMAT, "created_at": utcnow().isoformat(),
                        "database": {"kind": db_kind(settings.database_url), "member": db_name},
                        "files": hashes}
            blob = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mode, info.mtime = len(blob), 0o600, int(utcnow().timestamp())
            tar.addfile(info, io.BytesIO(blob))
        with open(partial, "rb") as f:
            os.fsync(f.fileno())
        os.chmod(partial, 0o600)
        os.replace(partial, target)
    fsync_dir(target.parent)
    return BackupResult(target, len(hashes), target.stat().st_size)
