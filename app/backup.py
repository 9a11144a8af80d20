"""Backup and restore: one tar.gz with the database, the file store, the demo CA and the storage secret.

Consistency while the server runs: the database is copied first, as one snapshot (SQLite's online
backup API, or pg_dump, which reads in one transaction); the file store is copied after it. Files
are content-addressed and written before the transaction that refers to them commits, and never
changed or deleted, so every file the snapshot refers to is already there; files written after the
snapshot are harmless extras.

Archive layout:
    manifest.json                  {"format": 1, "created_at", "database": {...}, "files": {name: sha256}}
    database/chungthuc.db          (SQLite)  or  database/chungthuc.pgdump (pg_dump custom format)
    data/files/ab/abcd…            the file store
    data/pki/…                     the demo PKI (when present)
    data/storage_secret            (when present)
Never archived: DATA_DIR/outbox.key, and the SMS outbox's sealed secrets (dropped from the SQLite copy).

The archive is written to a temporary name in the target folder, fsynced and renamed: it is either
whole or absent. Restore goes into an empty DATA_DIR and an empty database only, and checks every
member against the manifest before anything is put in place.
"""
from __future__ import annotations

import asyncio
import hashlib
import io
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from app.files import fsync_dir
from app.settings import get_settings
from domain.clock import to_local, utcnow

log = logging.getLogger(__name__)
FORMAT = 1
SQLITE_NAME = "database/chungthuc.db"
PGDUMP_NAME = "database/chungthuc.pgdump"
ARCHIVE_PREFIX = "chungthuc-backup-"
_CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; `message_vi` says why."""

    def __init__(self, message_vi: str):
        super().__init__(message_vi)
        self.message_vi = message_vi


@dataclass(frozen=True)
class BackupResult:
    path: Path
    files: int
    size: int


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def _db_kind(url: str) -> str:
    if url.startswith("sqlite"):
        return "sqlite"
    if url.startswith("postgres"):
        return "postgresql"
    raise BackupError(f"Không hỗ trợ sao lưu cơ sở dữ liệu loại này: {url.split(':', 1)[0]}")


def sqlite_path(url: str) -> Path:
    """The file of a sqlite:///… URL."""
    path = url.split("///", 1)[1] if "///" in url else ""
    if not path or path == ":memory:":
        raise BackupError("Cơ sở dữ liệu SQLite phải là một tệp.")
    return Path(path.split("?", 1)[0])


def libpq_url(url: str) -> str:
    """postgresql+psycopg://… → postgresql://… (what pg_dump and psycopg accept)."""
    scheme, rest = url.split("://", 1)
    return "postgresql://" + rest if scheme.startswith("postgres") else url


def _dump_database(url: str, workdir: Path) -> tuple[str, Path]:
    kind = _db_kind(url)
    if kind == "sqlite":
        target = workdir / "db.sqlite"
        src = sqlite3.connect(f"file:{sqlite_path(url)}?mode=ro", uri=True)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # a consistent snapshot, even while the server writes
            _drop_secrets(dst)
        finally:
            dst.close()
            src.close()
        return SQLITE_NAME, target
    target = workdir / "db.pgdump"
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}", libpq_url(url)],
         "pg_dump")
    return PGDUMP_NAME, target


def _drop_secrets(db: sqlite3.Connection) -> None:
    """A backup carries no secret: the SMS outbox's sealed secrets are dropped from the copy (the key,
    DATA_DIR/outbox.key, is never archived either, which covers pg_dump's copy)."""
    try:
        db.execute("UPDATE smsmessage SET secret_box = NULL WHERE secret_box IS NOT NULL")
        db.commit()
        db.execute("VACUUM")  # the old pages must not keep the sealed text either
    except sqlite3.OperationalError:
        pass  # a database from before the outbox had secrets


def _run(cmd: list[str], what: str) -> None:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError:
        raise BackupError(f"Không tìm thấy {what}; hãy cài gói postgresql-client.") from None
    if out.returncode != 0:
        raise BackupError(f"{what} báo lỗi: {out.stderr.strip()[:500]}")


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
        db_name, db_file = _dump_database(settings.database_url, workdir)
        members = [(db_name, db_file), *_data_members(settings.data_dir)]
        hashes: dict[str, str] = {}
        partial = workdir / "archive.tar.gz"
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            for name, path in members:
                try:
                    digest = _sha256_file(path)
                    info = tar.gettarinfo(str(path), arcname=name)
                    info.uid = info.gid = 0
                    info.uname = info.gname = ""
                    with open(path, "rb") as f:
                        tar.addfile(info, f)
                except FileNotFoundError:
                    continue  # a temp file that went away
                hashes[name] = digest
            manifest = {"format": FORMAT, "created_at": utcnow().isoformat(),
                        "database": {"kind": _db_kind(settings.database_url), "member": db_name},
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


# ---- restore ---------------------------------------------------------------------------------

_IGNORABLE = {"storage_secret", "nicegui", "outbox.key"}  # created by merely starting the app or reading settings


def _data_dir_problem(data_dir: Path, db_file: Path | None) -> str | None:
    if not data_dir.exists():
        return None
    for child in data_dir.iterdir():
        if db_file is not None and child.resolve() in {db_file.resolve(), Path(f"{db_file}-wal").resolve(),
                                                       Path(f"{db_file}-shm").resolve()}:
            continue
        if child.name in _IGNORABLE:
            continue
        if child.is_dir() and not any(p.is_file() for p in child.rglob("*")):
            continue
        return f"Thư mục dữ liệu {data_dir} không trống (có {child.name}); chỉ phục hồi vào thư mục trống."
    return None


def _sqlite_is_empty(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return True
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0] == 0
    finally:
        conn.close()


def _pg_is_empty(url: str) -> bool:
    import psycopg

    with psycopg.connect(libpq_url(url)) as conn:
        n = conn.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").fetchone()[0]
    return n == 0


def _safe_name(name: str) -> bool:
    p = PurePosixPath(name)
    return not p.is_absolute() and ".." not in p.parts and name == p.as_posix()


def read_verified(archive: Path, into: Path) -> dict:
    """Extract every member into `into`, checking each against the manifest. Returns the manifest."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            try:
                manifest = json.load(tar.extractfile("manifest.json"))
            except (KeyError, TypeError, json.JSONDecodeError):
                raise BackupError("Tệp sao lưu không có bản kê (manifest.json) hợp lệ.") from None
            if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
                raise BackupError("Tệp sao lưu có định dạng không được hỗ trợ.")
            expected: dict[str, str] = manifest["files"]
            seen: set[str] = set()
            for member in tar:
                if member.name == "manifest.json":
                    continue
                if member.name not in expected or not member.isfile() or not _safe_name(member.name):
                    raise BackupError(f"Tệp sao lưu có mục lạ không có trong bản kê: {member.name}")
                dest = into / member.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                h = hashlib.sha256()
                with tar.extractfile(member) as src, open(dest, "wb") as out:
                    for chunk in iter(lambda: src.read(_CHUNK), b""):
                        h.update(chunk)
                        out.write(chunk)
                if h.hexdigest() != expected[member.name]:
                    raise BackupError(f"Tệp sao lưu bị hỏng: {member.name} không khớp mã SHA-256 trong bản kê.")
                seen.add(member.name)
            missing = set(expected) - seen
            if missing:
                raise BackupError(f"Tệp sao lưu thiếu {len(missing)} tệp, ví dụ {sorted(missing)[0]}.")
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise BackupError(f"Tệp sao lưu bị hỏng hoặc không đọc được ({exc}).") from None
    return manifest


def restore(archive: str | Path) -> dict:
    """Restore the archive into the (empty) DATA_DIR and (empty) database. Returns the manifest."""
    settings = get_settings()
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {archive}.")
    url = settings.database_url
    kind = _db_kind(url)
    db_file = sqlite_path(url) if kind == "sqlite" else None
    problem = _data_dir_problem(settings.data_dir, db_file)
    if problem:
        raise BackupError(problem)
    if kind == "sqlite" and not _sqlite_is_empty(db_file):
        raise BackupError(f"Cơ sở dữ liệu {db_file} đã có dữ liệu; chỉ phục hồi vào cơ sở dữ liệu trống.")
    if kind == "postgresql" and not _pg_is_empty(url):
        raise BackupError("Cơ sở dữ liệu PostgreSQL đã có bảng; chỉ phục hồi vào cơ sở dữ liệu trống.")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=settings.data_dir) as tmp:
        work = Path(tmp)
        manifest = read_verified(archive, work)
        db = manifest.get("database", {})
        if db.get("kind") != kind:
            raise BackupError(f"Bản sao lưu là của cơ sở dữ liệu {db.get('kind')}, "
                              f"nhưng DATABASE_URL hiện trỏ tới {kind}.")
        if kind == "sqlite":
            db_file.parent.mkdir(parents=True, exist_ok=True)
            for suffix in ("-wal", "-shm"):
                Path(f"{db_file}{suffix}").unlink(missing_ok=True)
            src = work / SQLITE_NAME
            tmp_db = db_file.with_name(db_file.name + ".restoring")
            shutil.copyfile(src, tmp_db)
            with open(tmp_db, "rb") as f:
                os.fsync(f.fileno())
            os.replace(tmp_db, db_file)
        else:
            _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                  f"--dbname={libpq_url(url)}", str(work / PGDUMP_NAME)], "pg_restore")
        data_root = work / "data"
        if data_root.is_dir():
            for path in sorted(data_root.rglob("*")):
                if path.is_file():
                    dest = settings.data_dir / path.relative_to(data_root)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(path, dest)
    from app.settings import reload_settings

    reload_settings()  # the restored storage_secret
    return manifest


# ---- nightly job -----------------------------------------------------------------------------

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
    from nicegui import run

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
    """Called by app.jobs.start_jobs: starts the loop with the app, unless BACKUP_DIR is empty."""
    from nicegui import app, background_tasks

    def _start() -> None:
        if get_settings().backup_dir:
            background_tasks.create(backup_loop(), name="nightly-backup")

    app.on_startup(_start)
