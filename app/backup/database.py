"""The database's snapshot and its restore checks: SQLite's online backup or pg_dump / pg_restore."""
from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from .archive import PGDUMP_NAME, SQLITE_NAME, BackupError


def db_kind(url: str) -> str:
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


def dump_database(url: str, workdir: Path) -> tuple[str, Path]:
    kind = db_kind(url)
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
    run_tool(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}", libpq_url(url)],
        "pg_dump",
    )
    return PGDUMP_NAME, target


def _drop_secrets(db: sqlite3.Connection) -> None:
    """A backup carries no secret: the SMS outbox's sealed secrets are dropped from the copy (the key,
    DATA_DIR/outbox.key, is never archived either, which covers pg_dump's copy)."""
    try:
        with db:  # the copy's own connection (not a unit of work of the app): commits the update
            db.execute("UPDATE smsmessage SET secret_box = NULL WHERE secret_box IS NOT NULL")
        db.execute("VACUUM")  # the old pages must not keep the sealed text either
    except sqlite3.OperationalError:
        pass  # a database from before the outbox had secrets


def run_tool(cmd: list[str], what: str) -> None:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError:
        raise BackupError(f"Không tìm thấy {what}; hãy cài gói postgresql-client.") from None
    if out.returncode != 0:
        raise BackupError(f"{what} báo lỗi: {out.stderr.strip()[:500]}")


def sqlite_is_empty(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return True
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0] == 0
    finally:
        conn.close()


def pg_is_empty(url: str) -> bool:
    import psycopg

    with psycopg.connect(libpq_url(url)) as conn:
        n = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    return n == 0
