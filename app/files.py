"""The content-addressed file store: DATA_DIR/files/ab/<sha256>, written to a temp name, fsynced and
renamed, so a file is either whole or absent. The database keeps a StoredFile row per hash.

    sha = store_bytes(data, "application/pdf", session)   # in the caller's unit of work
    data = read_bytes(sha)
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import time
from pathlib import Path

from sqlmodel import Session

from app.settings import get_settings
from domain.models import StoredFile

_SHA256 = re.compile(r"[0-9a-f]{64}")


class FileMissing(FileNotFoundError):
    """The store has no file for this hash (or the hash is malformed)."""


def path_of(sha256: str) -> Path:
    """Where the file with this hash lives (it may not exist). Refuses anything but 64 hex digits."""
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise FileMissing(f"not a sha256: {sha256!r}")
    return get_settings().files_dir / sha256[:2] / sha256


def store_bytes(data: bytes, mime: str, session: Session) -> str:
    """Write the bytes (once; the same content is stored once) and add the StoredFile row to the
    session. Returns the SHA-256 hex digest. Does not commit."""
    sha256 = hashlib.sha256(data).hexdigest()
    target = path_of(sha256)
    if not (target.exists() and target.stat().st_size == len(data)):
        _write_atomically(target, data)
    if session.get(StoredFile, sha256) is None:
        session.add(StoredFile(sha256=sha256, size=len(data), mime=mime[:100]))
        session.flush()
    return sha256


def save_bytes(data: bytes) -> str:
    """Write the bytes to the store (once) without a database row: slow work done before the short
    transaction that adds the row with `record` (an unrecorded file is an orphan, never a copy)."""
    sha256 = hashlib.sha256(data).hexdigest()
    target = path_of(sha256)
    if not (target.exists() and target.stat().st_size == len(data)):
        _write_atomically(target, data)
    return sha256


def record(session: Session, sha256: str, size: int, mime: str) -> str:
    """The StoredFile row of a file written by save_bytes (in the caller's unit of work)."""
    if session.get(StoredFile, sha256) is None:
        session.add(StoredFile(sha256=sha256, size=size, mime=mime[:100]))
        session.flush()
    return sha256


def read_bytes(sha256: str) -> bytes:
    """The stored bytes; raises FileMissing when absent. Checks the content still has its hash."""
    path = path_of(sha256)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FileMissing(sha256) from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise FileMissing(f"{sha256}: content does not match its hash")
    return data


def new_temp() -> str:
    """A new empty file in the store's folder for slow work to write into (a copy being built or signed,
    possibly by the signing process); `adopt` moves it into the store, `discard` drops it, and one a
    killed process left behind is swept by remove_leftover_temp_files."""
    folder = get_settings().files_dir / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    os.close(fd)
    return tmp


def adopt(tmp: str) -> tuple[str, int]:
    """Move a finished temp file into the store under its hash, without a database row (see `record`);
    (sha256, size). Read in chunks: a 1,000-page copy is not held in memory."""
    with open(tmp, "rb") as handle:
        sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
        size = os.fstat(handle.fileno()).st_size
        os.fsync(handle.fileno())
    target = path_of(sha256)
    if target.exists() and target.stat().st_size == size:
        os.unlink(tmp)
        return sha256, size
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(tmp, 0o600)
    os.replace(tmp, target)
    fsync_dir(target.parent)
    return sha256, size


def discard(*paths: str) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def check_stored(path: str) -> None:
    """FileMissing unless the stored file at `path` still has its hash (its name), read in chunks."""
    try:
        with open(path, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    except FileNotFoundError:
        raise FileMissing(Path(path).name) from None
    if digest != Path(path).name:
        raise FileMissing(f"{Path(path).name}: content does not match its hash")


def exists(sha256: str) -> bool:
    try:
        return path_of(sha256).is_file()
    except FileMissing:
        return False


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(target.parent)


def fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_leftover_temp_files(older_than_seconds: float = 3600) -> int:
    """Delete temp files a killed process left behind (never referenced: the rename never happened)."""
    root = get_settings().files_dir
    if not root.exists():
        return 0
    cutoff = time.time() - older_than_seconds
    removed = 0
    for path in root.glob("*/.tmp-*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed
