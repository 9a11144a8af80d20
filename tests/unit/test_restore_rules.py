"""Restoring an archive (app/backup/restore.py) with small hand-made archives: every member checked against
the manifest before anything is written in place, only into an empty DATA_DIR and an empty database, the
stale SQLite journal dropped. The whole backup → restore round trip of a real office, on both engines, is
tests/integration/test_backup.py; here the rules, a few milliseconds each."""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import sqlite3
import tarfile
import tempfile
from importlib import import_module
from pathlib import Path

import pytest

from app.backup.archive import FORMAT, PGDUMP_NAME, SQLITE_NAME, BackupError
from app.settings import reload_settings

rs = import_module("app.backup.restore")  # the module: the package's `restore` is its function


@pytest.fixture
def place(tmp_path, monkeypatch):
    """An empty DATA_DIR with its SQLite database inside, as a fresh install has."""
    data = tmp_path / "data"
    monkeypatch.setenv("DATA_DIR", str(data))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    reload_settings()
    yield data
    monkeypatch.undo()
    reload_settings()


def database_bytes(tmp_path: Path, word: str = "bản gốc") -> bytes:
    path = tmp_path / f"db-{word.encode().hex()}.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE dossier (name TEXT)")
        conn.execute("INSERT INTO dossier VALUES (?)", (word,))
    conn.close()
    return path.read_bytes()


def archive(path: Path, members: dict[str, bytes], *, listed: dict[str, str] | None = None,
            manifest: dict | bytes | None = None, kind: str = "sqlite", extra=()) -> Path:
    """A tar.gz as app/backup/write.py makes it: manifest.json first, then each member (sha256 listed)."""
    files = {name: hashlib.sha256(data).hexdigest() for name, data in members.items()}
    files.update(listed or {})
    body = manifest if manifest is not None else {"format": FORMAT, "files": files,
                                                  "database": {"kind": kind}}
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    with tarfile.open(path, "w:gz") as tar:
        if manifest is not False:
            add(tar, "manifest.json", raw)
        for name, data in members.items():
            add(tar, name, data)
        for member in extra:
            tar.addfile(member)
    return path


def add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def good(tmp_path: Path, **more: bytes) -> Path:
    members = {SQLITE_NAME: database_bytes(tmp_path), "data/files/1/scan.pdf": b"%PDF-1.7 scan",
               "data/pki/office.p12": b"key", **more}
    return archive(tmp_path / "good.tar.gz", members)


def refused(target, *args) -> str:
    with pytest.raises(BackupError) as err:
        target(*args)
    return err.value.message


# --- a restore that goes in --------------------------------------------------------------------------

def test_a_restore_puts_the_database_and_every_file_in_place(tmp_path, place):
    manifest = rs.restore(good(tmp_path))
    assert manifest["database"] == {"kind": "sqlite"}
    with sqlite3.connect(place / "chungthuc.db") as conn:
        assert conn.execute("SELECT name FROM dossier").fetchall() == [("bản gốc",)]
    conn.close()
    assert (place / "files/1/scan.pdf").read_bytes() == b"%PDF-1.7 scan"
    assert (place / "pki/office.p12").read_bytes() == b"key"
    left = sorted(p.name for p in place.iterdir())
    assert left == ["chungthuc.db", "files", "pki", "storage_secret"]  # no work folder, no .restoring


def test_the_old_databases_journal_is_dropped_before_the_restored_file_goes_in(tmp_path, place):
    """A WAL left by the empty database would be replayed onto the restored one by SQLite."""
    for suffix in ("-wal", "-shm"):
        (place / f"chungthuc.db{suffix}").write_bytes(b"stale journal")
    rs.restore(good(tmp_path))
    assert not (place / "chungthuc.db-wal").exists() and not (place / "chungthuc.db-shm").exists()
    with sqlite3.connect(place / "chungthuc.db") as conn:
        assert conn.execute("SELECT count(*) FROM dossier").fetchone() == (1,)
    conn.close()


def test_a_database_elsewhere_gets_its_folder(tmp_path, place, monkeypatch):
    db = tmp_path / "elsewhere" / "deep" / "copy.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    reload_settings()
    rs.restore(good(tmp_path))
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT name FROM dossier").fetchall() == [("bản gốc",)]
    conn.close()
    assert not (place / "chungthuc.db").exists()


def test_a_data_dir_not_made_yet_is_made(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "new" / "data"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db' / 'c.db'}")
    reload_settings()
    (tmp_path / "new" / "data" / "storage_secret").unlink()
    (tmp_path / "new" / "data").rmdir()
    try:
        rs.restore(good(tmp_path))
        assert (tmp_path / "new" / "data" / "files/1/scan.pdf").exists()
    finally:
        monkeypatch.undo()
        reload_settings()


def test_several_files_in_one_folder(tmp_path, place):
    rs.restore(good(tmp_path, **{"data/files/1/page-2.png": b"p2", "data/files/1/page-3.png": b"p3"}))
    assert sorted(p.name for p in (place / "files/1").iterdir()) == ["page-2.png", "page-3.png", "scan.pdf"]


def test_a_restore_works_when_the_machines_temp_folder_is_another_disk(tmp_path, place, monkeypatch):
    """The archive is unpacked inside DATA_DIR, then its files moved in place: from /tmp on a tmpfs (a
    common setup) the move would fail half-way (a rename cannot cross file systems)."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second file system here")
    elsewhere = shm / f"restore-test-{tmp_path.name}"
    elsewhere.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(elsewhere))
    try:
        rs.restore(good(tmp_path))
    finally:
        shutil.rmtree(elsewhere)
    assert (place / "files/1/scan.pdf").read_bytes() == b"%PDF-1.7 scan"


def test_an_archive_without_files_restores_the_database_alone(tmp_path, place):
    rs.restore(archive(tmp_path / "a.tar.gz", {SQLITE_NAME: database_bytes(tmp_path)}))
    assert sorted(p.name for p in place.iterdir()) == ["chungthuc.db", "storage_secret"]


# --- where a restore may go --------------------------------------------------------------------------

def test_only_into_an_empty_data_dir(tmp_path, place):
    (place / "files").mkdir()
    (place / "files" / "old.pdf").write_bytes(b"x")
    assert refused(rs.restore, good(tmp_path)) == (
        f"Thư mục dữ liệu {place} không trống (có files); chỉ phục hồi vào thư mục trống.")
    assert not (place / "pki").exists() and not (place / "chungthuc.db").exists()


@pytest.mark.parametrize("beside", [["chungthuc.db", "chungthuc.db-wal", "chungthuc.db-shm"],
                                    ["outbox.key", "keystore.key", "nicegui"],
                                    ["files/", "pki/", "empty/"]])  # folders with no file in them
def test_what_may_be_there_does_not_hide_what_may_not(tmp_path, place, beside):
    (place / "old.pdf").write_bytes(b"x")
    for name in beside:
        make(place, name)
    assert refused(rs.restore, good(tmp_path)) == (
        f"Thư mục dữ liệu {place} không trống (có old.pdf); chỉ phục hồi vào thư mục trống.")
    # a folder lists its entries in an order of the file system's own: eight folders, each with its
    # leftover somewhere among what may be there, so that the leftover is listed after them in some
    for n in range(8):
        folder = tmp_path / f"place-{n}"
        folder.mkdir()
        (folder / f"old-{n}.pdf").write_bytes(b"x")
        for name in beside:
            make(folder, name)
        assert rs._data_dir_problem(folder, folder / "chungthuc.db") == (
            f"Thư mục dữ liệu {folder} không trống (có old-{n}.pdf); chỉ phục hồi vào thư mục trống.")


def make(folder: Path, name: str) -> None:
    """An empty file, or for "name/" an empty folder with an empty folder inside."""
    if name.endswith("/"):
        (folder / name / "inner").mkdir(parents=True)
    else:
        (folder / name).write_bytes(b"")


def test_what_merely_starting_the_app_makes_does_not_count(tmp_path, place):
    for name in ("outbox.key", "keystore.key"):
        (place / name).write_text("k")
    (place / "nicegui").mkdir()
    (place / "nicegui" / "storage-user-x.json").write_text("{}")
    (place / "files" / "empty" / "folders").mkdir(parents=True)
    (place / "chungthuc.db").write_bytes(b"")  # an empty database file
    (place / "chungthuc.db-wal").write_bytes(b"")
    rs.restore(good(tmp_path))
    assert (place / "files/1/scan.pdf").exists()


def test_not_over_a_database_that_has_tables(tmp_path, place):
    (place / "chungthuc.db").write_bytes(database_bytes(tmp_path, "đang dùng"))
    assert refused(rs.restore, good(tmp_path)) == (
        f"Cơ sở dữ liệu {place / 'chungthuc.db'} đã có dữ liệu; chỉ phục hồi vào cơ sở dữ liệu trống.")
    assert not (place / "files").exists()


def test_not_from_a_file_that_is_not_there(tmp_path, place):
    missing = tmp_path / "none.tar.gz"
    assert refused(rs.restore, missing) == f"Không tìm thấy tệp sao lưu {missing}."
    assert refused(rs.restore, tmp_path) == f"Không tìm thấy tệp sao lưu {tmp_path}."  # a folder


def test_not_an_archive_of_the_other_engine(tmp_path, place):
    made = archive(tmp_path / "pg.tar.gz", {PGDUMP_NAME: b"dump", "data/files/a": b"a"}, kind="postgresql")
    assert refused(rs.restore, made) == (
        "Bản sao lưu là của cơ sở dữ liệu postgresql, nhưng DATABASE_URL hiện trỏ tới sqlite.")
    assert not (place / "files").exists() and not (place / "chungthuc.db").exists()
    assert [p.name for p in place.iterdir()] == ["storage_secret"]  # the work folder is gone too


def test_an_archive_that_does_not_say_its_engine_is_refused(tmp_path, place):
    db = database_bytes(tmp_path)
    made = archive(tmp_path / "a.tar.gz", {SQLITE_NAME: db},
                   manifest={"format": FORMAT, "files": {SQLITE_NAME: hashlib.sha256(db).hexdigest()}})
    assert refused(rs.restore, made) == (
        "Bản sao lưu là của cơ sở dữ liệu None, nhưng DATABASE_URL hiện trỏ tới sqlite.")
    assert not (place / "chungthuc.db").exists()


def test_on_postgresql_pg_restore_puts_it_all_in_one_transaction(tmp_path, place, monkeypatch):
    """The tool's call only (the real restore on PostgreSQL is test_backup.py's PostgreSQL half)."""
    calls = []
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u:p@db.example:5432/chungthuc")
    reload_settings()
    monkeypatch.setattr(rs, "pg_is_empty", lambda url: calls.append(("empty?", url)) or True)
    monkeypatch.setattr(rs, "run_tool",
                        lambda cmd, what: calls.append((what, cmd, Path(cmd[-1]).read_bytes())))
    made = archive(tmp_path / "pg.tar.gz", {PGDUMP_NAME: b"dump", "data/files/a": b"a"}, kind="postgresql")
    rs.restore(made)
    assert calls == [
        ("empty?", "postgresql+psycopg://u:p@db.example:5432/chungthuc"),
        ("pg_restore", ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                        "--single-transaction", "--dbname=postgresql://u:p@db.example:5432/chungthuc",
                        calls[1][1][-1]], b"dump"),
    ]
    assert (place / "files" / "a").read_bytes() == b"a"
    monkeypatch.setattr(rs, "pg_is_empty", lambda url: False)
    (place / "files" / "a").unlink()
    (place / "files").rmdir()
    assert refused(rs.restore, made) == (
        "Cơ sở dữ liệu PostgreSQL đã có bảng; chỉ phục hồi vào cơ sở dữ liệu trống.")


# --- every member checked --------------------------------------------------------------------------------

def test_the_members_are_written_as_listed_and_checked(tmp_path):
    made = archive(tmp_path / "a.tar.gz", {"data/files/1/a.pdf": b"a" * 3_000_000, "b": b"b"})
    manifest = rs.read_verified(made, tmp_path / "out")
    assert set(manifest["files"]) == {"data/files/1/a.pdf", "b"}
    assert (tmp_path / "out/data/files/1/a.pdf").read_bytes() == b"a" * 3_000_000
    assert (tmp_path / "out/b").read_bytes() == b"b"


def test_an_archive_without_a_good_manifest_is_refused(tmp_path):
    no_manifest = archive(tmp_path / "a.tar.gz", {"b": b"b"}, manifest=False)
    bad_json = archive(tmp_path / "b.tar.gz", {"b": b"b"}, manifest=b"{not json")
    words = "Tệp sao lưu không có bản kê (manifest.json) hợp lệ."
    assert refused(rs.read_verified, no_manifest, tmp_path / "o1") == words
    assert refused(rs.read_verified, bad_json, tmp_path / "o2") == words
    folder = tarfile.TarInfo("manifest.json")
    folder.type = tarfile.DIRTYPE
    as_folder = tmp_path / "c.tar.gz"
    with tarfile.open(as_folder, "w:gz") as tar:
        tar.addfile(folder)
    assert refused(rs.read_verified, as_folder, tmp_path / "o3") == words


@pytest.mark.parametrize("manifest", [{"format": FORMAT + 1, "files": {}}, {"files": {}},
                                      {"format": FORMAT, "files": ["b"]}, {"format": FORMAT}])
def test_an_unknown_format_is_refused(tmp_path, manifest):
    made = archive(tmp_path / "a.tar.gz", {}, manifest=manifest)
    assert refused(rs.read_verified, made, tmp_path / "o") == "Tệp sao lưu có định dạng không được hỗ trợ."


def test_a_member_not_in_the_manifest_is_refused(tmp_path):
    made = archive(tmp_path / "a.tar.gz", {"b": b"b"}, listed={})
    with tarfile.open(made, "w:gz") as tar:
        add(tar, "manifest.json", json.dumps({"format": FORMAT, "files": {}}).encode())
        add(tar, "data/evil.sh", b"x")
    assert refused(rs.read_verified, made, tmp_path / "o") == (
        "Tệp sao lưu có mục lạ không có trong bản kê: data/evil.sh")


@pytest.mark.parametrize("kind", ["folder", "link", "outside", "absolute", "unnormal"])
def test_a_listed_member_that_is_not_a_plain_file_inside_is_refused(tmp_path, kind):
    name = {"folder": "data/x", "link": "data/x", "outside": "../x", "absolute": "/etc/x",
            "unnormal": "data//x"}[kind]
    info = tarfile.TarInfo(name)
    if kind == "folder":
        info.type = tarfile.DIRTYPE
    elif kind == "link":
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
    made = tmp_path / "a.tar.gz"
    with tarfile.open(made, "w:gz") as tar:
        add(tar, "manifest.json", json.dumps({"format": FORMAT, "files": {name: "0" * 64}}).encode())
        if kind in ("folder", "link"):
            tar.addfile(info)
        else:
            add(tar, name, b"x")
    assert refused(rs.read_verified, made, tmp_path / "o") == (
        f"Tệp sao lưu có mục lạ không có trong bản kê: {name}")
    assert not (tmp_path / "x").exists() and not (tmp_path / "o" / "data").exists()


def test_a_member_that_does_not_match_its_hash_is_refused(tmp_path):
    made = archive(tmp_path / "a.tar.gz", {"data/files/a": b"genuine", "data/files/b": b"b"},
                   listed={"data/files/a": hashlib.sha256(b"other").hexdigest()})
    assert refused(rs.read_verified, made, tmp_path / "o") == (
        "Tệp sao lưu bị hỏng: data/files/a không khớp mã SHA-256 trong bản kê.")


def test_a_member_listed_but_missing_is_refused(tmp_path):
    made = archive(tmp_path / "a.tar.gz", {"b": b"b"}, listed={"data/z": "0" * 64, "data/y": "0" * 64})
    assert refused(rs.read_verified, made, tmp_path / "o") == "Tệp sao lưu thiếu 2 tệp, ví dụ data/y."


def test_a_cut_or_foreign_file_is_refused(tmp_path):
    whole = good(tmp_path).read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    broken = "Tệp sao lưu bị hỏng hoặc không đọc được ("
    assert refused(rs.read_verified, cut, tmp_path / "o1").startswith(broken)
    not_gzip = tmp_path / "x.tar.gz"
    not_gzip.write_bytes(b"PK\x03\x04 a zip")
    assert refused(rs.read_verified, not_gzip, tmp_path / "o2").startswith(broken)
    bad_stream = tmp_path / "z.tar.gz"
    bad_stream.write_bytes(gzip.compress(b"\0" * 10)[:-12] + b"\xff" * 12)
    assert refused(rs.read_verified, bad_stream, tmp_path / "o3").startswith(broken)
