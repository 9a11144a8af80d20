"""Backup → restore into an empty place → every record and file identical, on SQLite and PostgreSQL."""
from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import select as sa_select
from sqlmodel import SQLModel

from app import backup as bk
from app.db import UNITS, dispose_engine, get_engine
from app.settings import get_settings, reload_settings
from app.signing import certification_service as service
from tests.support.register import Spec, add_entries
from tests.support.workflow import signed_dossier_ready, user_named

ROOT = Path(__file__).resolve().parents[2]


def snapshot_db() -> dict[str, list]:
    out = {}
    with get_engine().connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            pk = list(table.primary_key.columns)
            rows = conn.execute(sa_select(table).order_by(*pk)).mappings().all()
            out[table.name] = [dict(r) for r in rows]
    return out


def snapshot_files(data_dir: Path) -> dict[str, str]:
    result = {}
    for sub in ("files", "pki"):
        for p in sorted((data_dir / sub).rglob("*")):
            if p.is_file():
                result[p.relative_to(data_dir).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    result["storage_secret"] = hashlib.sha256((data_dir / "storage_secret").read_bytes()).hexdigest()
    return result


def move_to_empty_place(tmp_path: Path, monkeypatch, db_url: str) -> Path:
    new_data = tmp_path / "restored"
    monkeypatch.setenv("DATA_DIR", str(new_data))
    if db_url.startswith("postgres"):
        from tests.conftest import _pg_database

        monkeypatch.setenv("DATABASE_URL", _pg_database(os.environ["TEST_PG_URL"]))
    else:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    dispose_engine()
    reload_settings()
    return new_data


def test_backup_then_restore_gives_identical_records_and_files(db_url, tmp_path, monkeypatch, app_env):
    dossier_id = signed_dossier_ready(pages=2)
    service.sign(UNITS, user_named("lanhdao"), dossier_id)
    service.seal(UNITS, user_named("vanthu"), dossier_id)
    add_entries([Spec("Trần Thị Bé")])
    before_db, before_files = snapshot_db(), snapshot_files(app_env)
    archive = tmp_path / "backups" / "b.tar.gz"
    out = subprocess.run([sys.executable, "main.py", "backup", str(archive)], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, env={**os.environ})
    assert out.returncode == 0, out.stderr
    assert "Đã sao lưu" in out.stdout
    assert [p.name for p in archive.parent.iterdir()] == ["b.tar.gz"]  # no temp leftovers
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database"]["kind"] == ("postgresql" if db_url.startswith("postgres") else "sqlite")
    assert any(name.startswith("data/files/") for name in manifest["files"])

    # refuses a place that is not empty
    with pytest.raises(bk.BackupError, match="không trống|đã có"):
        bk.restore(archive)

    new_data = move_to_empty_place(tmp_path, monkeypatch, db_url)
    manifest = bk.restore(archive)
    dispose_engine()
    reload_settings()
    assert snapshot_files(new_data) == before_files
    assert snapshot_db() == before_db
    assert get_settings().storage_secret == (new_data / "storage_secret").read_text().strip()
    # the restored register still checks out, files included
    from app.cli.register_cli import check_register

    problems, checked, _ = check_register()
    assert problems == [] and checked == 2

    # and a second restore on top is refused
    with pytest.raises(bk.BackupError):
        bk.restore(archive)


def test_a_corrupted_archive_is_refused(demo_db, tmp_path, monkeypatch, app_env):
    add_entries([Spec("Người A")])
    archive = tmp_path / "a.tar.gz"
    bk.backup(archive)
    # a member whose content no longer matches the manifest
    tampered = tmp_path / "t.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read()
            if member.name.startswith("data/files/"):
                data = b"tampered" + data[8:]
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    # a truncated archive
    truncated = tmp_path / "cut.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    move_to_empty_place(tmp_path, monkeypatch, "sqlite")
    with pytest.raises(bk.BackupError, match="không khớp mã SHA-256"):
        bk.restore(tampered)
    with pytest.raises(bk.BackupError, match="hỏng"):
        bk.restore(truncated)
    assert not (tmp_path / "restored" / "chungthuc.db").exists()
    assert not any((tmp_path / "restored").rglob("files/*"))
    out = subprocess.run(
        [sys.executable, "main.py", "restore", str(truncated)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )
    assert out.returncode == 1 and "Không phục hồi" in out.stderr
    bk.restore(archive)  # the good one still goes in


def test_nightly_backup_keeps_the_newest(demo_db, tmp_path, monkeypatch):
    folder = tmp_path / "nightly"
    monkeypatch.setenv("BACKUP_DIR", str(folder))
    monkeypatch.setenv("BACKUP_KEEP", "2")
    reload_settings()
    folder.mkdir()
    for stamp in ("20240101-020000", "20240102-020000", "20240103-020000"):
        (folder / f"{bk.ARCHIVE_PREFIX}{stamp}.tar.gz").write_bytes(b"old")
    path = bk.nightly_backup()
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"{bk.ARCHIVE_PREFIX}20240103-020000.tar.gz", path.name]
    monkeypatch.setenv("BACKUP_DIR", "")
    reload_settings()
    assert bk.nightly_backup() is None
