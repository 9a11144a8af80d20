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
Never archived: DATA_DIR/outbox.key, DATA_DIR/keystore.key (the key store's key: the operator keeps a
copy apart, and puts it back before a restore) and the SMS outbox's sealed secrets (dropped from the
SQLite copy). Signing keys are in the archive only sealed under that key.

The archive is written to a temporary name in the target folder, fsynced and renamed: it is either
whole or absent. Restore goes into an empty DATA_DIR and an empty database only, and checks every
member against the manifest before anything is put in place.
"""
from .archive import ARCHIVE_PREFIX, BackupError, BackupResult
from .nightly import archive_name, backup_loop, nightly_backup, prune, start_backup_loop
from .restore import read_verified, restore
from .write import backup

__all__ = [
    "ARCHIVE_PREFIX",
    "BackupError",
    "BackupResult",
    "archive_name",
    "backup",
    "backup_loop",
    "nightly_backup",
    "prune",
    "read_verified",
    "restore",
    "start_backup_loop",
]
