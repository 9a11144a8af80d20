"""Restoring an archive into an empty DATA_DIR and an empty database, every member checked first."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from pathlib import Path

from app.settings import get_settings, reload_settings

from .archive import CHUNK, FORMAT, PGDUMP_NAME, SQLITE_NAME, BackupError, safe_name
from .database import db_kind, libpq_url, pg_is_empty, run_tool, sqlite_is_empty, sqlite_path

_IGNORABLE = {
    "storage_secret",
    "nicegui",
    "outbox.key",
    "keystore.key",  # the operator puts the key store's key back before restoring (never archived)
}  # created by merely starting the app or reading settings


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


def read_verified(archive: Path, into: Path) -> dict:
    """Extract every member into `into`, checking each against the manifest. Returns the manifest."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            try:
                manifest = json.load(tar.extractfile("manifest.json"))
            except (KeyError, TypeError, AttributeError, json.JSONDecodeError):  # AttributeError: a folder
                raise BackupError("Tệp sao lưu không có bản kê (manifest.json) hợp lệ.") from None
            if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
                raise BackupError("Tệp sao lưu có định dạng không được hỗ trợ.")
            expected: dict[str, str] = manifest["files"]
            seen: set[str] = set()
            for member in tar:
                if member.name == "manifest.json":
                    continue
                if member.name not in expected or not member.isfile() or not safe_name(member.name):
                    raise BackupError(f"Tệp sao lưu có mục lạ không có trong bản kê: {member.name}")
                dest = into / member.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                h = hashlib.sha256()
                with tar.extractfile(member) as src, open(dest, "wb") as out:
                    for chunk in iter(lambda: src.read(CHUNK), b""):
                        h.update(chunk)
                        out.write(chunk)
                if h.hexdigest() != expected[member.name]:
                    raise BackupError(
                        f"Tệp sao lưu bị hỏng: {member.name} không khớp mã SHA-256 trong bản kê."
                    )
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
    kind = db_kind(url)
    db_file = sqlite_path(url) if kind == "sqlite" else None
    problem = _data_dir_problem(settings.data_dir, db_file)
    if problem:
        raise BackupError(problem)
    if kind == "sqlite" and not sqlite_is_empty(db_file):
        raise BackupError(f"Cơ sở dữ liệu {db_file} đã có dữ liệu; chỉ phục hồi vào cơ sở dữ liệu trống.")
    if kind == "postgresql" and not pg_is_empty(url):
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
            run_tool(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    f"--dbname={libpq_url(url)}",
                    str(work / PGDUMP_NAME),
                ],
                "pg_restore",
            )
        data_root = work / "data"
        if data_root.is_dir():
            for path in sorted(data_root.rglob("*")):
                if path.is_file():
                    dest = settings.data_dir / path.relative_to(data_root)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(path, dest)
    reload_settings()  # the restored storage_secret
    return manifest
