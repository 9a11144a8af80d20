"""`verify-register`: the chain, the numbering and the stored copies; the first bad entry is named."""
from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from app import files
from app.cli.register_cli import check_register, verify_register_command
from app.db import UNITS, session_scope, write_scope
from app.signing import certification_service as service
from domain.calendar import LOCAL_TZ
from domain.clock import FixedClock, to_utc, use_clock
from domain.models import RegisterCounter, RegisterEntry
from tests.support.register import Spec, add_entries, issue_at, local
from tests.support.workflow import signed_dossier_ready, user_named

ROOT = Path(__file__).resolve().parents[2]


def five_entries():
    return add_entries([Spec(f"Người {i}", issued_at=local(2025, 2, i + 1)) for i in range(5)])


def first_problem():
    problems, _, _ = check_register()
    return problems[0] if problems else None


def test_clean_register_passes_with_a_real_seal(db_url, capsys):
    dossier_id = signed_dossier_ready(pages=1)
    service.sign(UNITS, user_named("lanhdao"), dossier_id)
    service.seal(UNITS, user_named("vanthu"), dossier_id)
    add_entries([Spec("Người sau")])
    assert verify_register_command(None, None) == 0
    assert "2 mục" in capsys.readouterr().out
    assert verify_register_command("HK-UBND", None) == 0
    assert verify_register_command("KHONG-CO", None) == 2


def test_cli_subcommand_runs(demo_db, app_env):
    five_entries()
    out = subprocess.run(
        [sys.executable, "main.py", "verify-register", "--office", "HK-UBND", "--year", "2025"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "Sổ chứng thực toàn vẹn" in out.stdout and "5 mục" in out.stdout
    with write_scope() as s:
        s.exec(text("UPDATE registerentry SET fee = 0 WHERE number = 4"))
        s.commit()
    out = subprocess.run(
        [sys.executable, "main.py", "verify-register"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 1
    assert "Cơ quan HK-UBND, năm 2025, số 4: nội dung mục đã bị sửa" in out.stderr


def test_an_edited_row_is_named(db_url):
    five_entries()
    with write_scope() as s:
        s.exec(text("UPDATE registerentry SET requester_name = 'Kẻ Gian' WHERE number = 3"))
        s.commit()
    p = first_problem()
    assert (p.office, p.year, p.number) == ("HK-UBND", 2025, 3)
    assert "đã bị sửa" in p.what


def test_a_deleted_row_is_named(db_url):
    five_entries()
    with write_scope() as s:
        s.exec(text("DELETE FROM registerentry WHERE number = 2"))
        s.commit()
    problems, _, _ = check_register()
    assert (problems[0].year, problems[0].number) == (2025, 3)
    whats = " ".join(p.what for p in problems if p.number == 3)
    assert "chuỗi băm" in whats and "thiếu số 2" in whats


def test_a_deleted_last_row_shows_in_the_counter(db_url):
    five_entries()
    with write_scope() as s:
        s.exec(text("DELETE FROM registerentry WHERE number = 5"))
        s.commit()
    p = first_problem()
    assert p.number is None and "bộ đếm ghi số cuối 5" in p.what and "số cuối 4" in p.what


def test_a_replaced_file_is_named(db_url):
    entries = five_entries()
    path = files.path_of(entries[3].file_sha256)
    path.write_bytes(b"%PDF-1.4 something else")
    p = first_problem()
    assert (p.year, p.number) == (2025, 4) and "không khớp mã SHA-256" in p.what
    path.unlink()
    p = first_problem()
    assert p.number == 4 and "không tìm thấy tệp" in p.what


@pytest.fixture
def clock():
    fixed = FixedClock(datetime(2025, 3, 3, 9, 0, tzinfo=LOCAL_TZ))
    use_clock(fixed)
    yield fixed
    use_clock(None)


def test_year_filter_and_renumbering(db_url, clock):
    # issued by the real seal: 30 December 2024, then 06:30 on 1 January 2025 (still 2024 in UTC)
    issue_at(clock, datetime(2024, 12, 30, 9, 0, tzinfo=LOCAL_TZ))
    first_of_2025 = issue_at(clock, datetime(2025, 1, 1, 6, 30, tzinfo=LOCAL_TZ))
    assert (first_of_2025.year, first_of_2025.number) == (2025, 1)
    assert check_register(year=2024)[:2] == ([], 1) and check_register(year=2025)[:2] == ([], 1)
    with write_scope() as s:  # a number edited to make a gap: the hash breaks, and the gap shows
        s.exec(text("UPDATE registerentry SET number = 7 WHERE year = 2025"))
        s.commit()
    problems, checked, _ = check_register(year=2024)
    assert problems == [] and checked == 1
    problems, _, _ = check_register(year=2025)
    assert {p.number for p in problems} >= {7}
    assert any("thiếu các số 1–6" in p.what for p in problems)
    with session_scope() as s:
        assert s.exec(select(RegisterCounter).where(RegisterCounter.year == 2025)).one().last_number == 1
    assert any(p.number is None for p in problems)  # the counter says 1, the register ends at 7
    with session_scope() as s:
        assert len(s.exec(select(RegisterEntry)).all()) == 2


def test_rows_written_for_tests_continue_a_real_register_across_the_new_year(db_url, clock):
    """tests/support/register.add_entries mirrors the seal's numbering: after real seals, its rows pass
    verify-register and number on (1 January 06:30 local is still 31 December in UTC)."""
    issue_at(clock, datetime(2024, 12, 31, 16, 0, tzinfo=LOCAL_TZ))
    real_2025 = issue_at(clock, datetime(2025, 1, 1, 6, 0, tzinfo=LOCAL_TZ))
    written = add_entries([Spec("Người viết tay", issued_at=local(2024, 12, 31, 17)),
                           Spec("Người sau", issued_at=to_utc(datetime(2025, 1, 1, 6, 30, tzinfo=LOCAL_TZ)))])
    assert [(e.year, e.number) for e in written] == [(2024, 2), (2025, 2)]
    assert [(e.book, e.number_text) for e in written] == \
        [(real_2025.book.replace("2025", "2024"), "2/ĐT"), (real_2025.book, "2/ĐT")]
    problems, checked, _ = check_register()
    assert problems == [] and checked == 4


def _other_office_id(s, entry) -> int:
    """A second office (its register empty): the entry moved there breaks both offices' registers."""
    from domain.models import Office, Unit
    from domain.text import fold
    other = s.exec(select(Office.id).where(Office.id != entry.office_id)).first()
    if other is None:
        unit = Unit(code="KT-UBND", name="UBND xã Khác", name_folded=fold("UBND xã Khác"), kind="office")
        s.add(unit)
        s.flush()
        office = Office(unit_id=unit.id, name="UBND xã Khác")
        s.add(office)
        s.flush()
        other = office.id
    return other


def _new_original_id(s, entry) -> int:
    from domain.models import Original
    original = Original(dossier_id=entry.dossier_id, title="Bản chính khác", pages=1, fee=2000)
    s.add(original)
    s.flush()
    return original.id


def _stored_file(s, entry) -> str:
    return files.store_bytes(b"%PDF-1.4 another copy", "application/pdf", s)


# Every column of a register entry, and an edit of it that verify-register must name as tampering.
EDITS = {
    "office_id": _other_office_id,
    "year": lambda s, e: e.year - 1,
    "number": lambda s, e: e.number + 10,
    "number_text": lambda s, e: "99/ĐT",
    "book": lambda s, e: "09/2025-SCTĐT/BS",
    "dossier_id": lambda s, e: e.dossier_id - 1,
    "original_id": _new_original_id,
    "issued_at": lambda s, e: e.issued_at.replace(day=e.issued_at.day + 1),
    "requester_name": lambda s, e: "Kẻ Gian",
    "requester_name_folded": lambda s, e: "ke gian",
    "requester_id_number": lambda s, e: "001099099999",
    "document_title": lambda s, e: "Bằng đại học",
    "document_title_folded": lambda s, e: "bang dai hoc",
    "issuer": lambda s, e: "Trường khác",
    "pages": lambda s, e: e.pages + 1,
    "copies": lambda s, e: e.copies + 1,
    "fee": lambda s, e: 0,
    "signer_name": lambda s, e: "Người Khác",
    "notes": lambda s, e: "ghi chú thêm",
    "file_sha256": _stored_file,
    "verify_code": lambda s, e: "ABCDEFGHJKMNPQRS",
    "prev_hash": lambda s, e: "0" * 64,
    "hash": lambda s, e: "f" * 64,
    "sealed_sha256": lambda s, e: "a" * 64,
    "leader_cert_sha256": lambda s, e: "b" * 64,
    "office_cert_sha256": lambda s, e: "c" * 64,
}


def test_every_column_of_the_register_is_covered_by_an_edit():
    assert set(RegisterEntry.model_fields) - {"id"} == set(EDITS)


@pytest.mark.parametrize("sealed", [True, False], ids=["sealed-entry", "entry-before-sealed-hashes"])
def test_an_edit_of_any_column_is_named(demo_db, sealed):
    """Each column of entry 3 edited in the database in turn: verify-register names it, then the value is
    put back and the register is whole again."""
    add_entries([Spec(f"Người {i}", issued_at=local(2025, 2, i + 1), sealed=sealed) for i in range(5)])
    assert check_register()[0] == []
    missed, said = [], set()
    for column, edit in EDITS.items():
        with write_scope() as s:
            entry = s.exec(select(RegisterEntry).where(RegisterEntry.number == 3)).one()
            entry_id, old = entry.id, getattr(entry, column)
            new = edit(s, entry)
            assert new != old, column
            setattr(entry, column, new)
            s.commit()
        problems = check_register()[0]
        if not any("bị sửa" in p.what for p in problems):
            missed.append(column)
        said.update(p.what for p in problems)
        with write_scope() as s:
            setattr(s.get(RegisterEntry, entry_id), column, old)
            s.commit()
        assert check_register()[0] == [], column
    assert missed == []
    unknown = {w for w in said if not any(re.fullmatch(pattern, w) for pattern in PROBLEM_TEXTS)}
    assert unknown == set()  # each problem is said in one of the checker's own words, nothing else


# What verify-register says of an entry, word for word (the officials read these lines).
PROBLEM_TEXTS = [
    r"không nối đúng chuỗi băm với mục liền trước \(mục trước có thể đã bị xóa hoặc sửa\)",
    r"nội dung mục đã bị sửa \(mã băm không khớp\)",
    r"nội dung mục đã bị sửa \(chứng thư ghi thêm vào mục không có bản đã đóng dấu\)",
    r"nội dung mục đã bị sửa \(chỉ mục tìm kiếm không khớp họ tên hoặc tên giấy tờ\)",
    r"số trùng hoặc sai thứ tự \(đã có số \d+\)",
    r"thiếu (số \d+|các số \d+–\d+) trước mục này",
    r"tệp bản sao: .+",
    r"bộ đếm ghi số cuối \d+ nhưng sổ có số cuối \d+ \(mục cuối có thể đã bị xóa\)",
]


def test_the_command_names_office_year_and_number_or_the_counter(demo_db, capsys):
    """In-process, so `make mutation` sees which test reads the printed problems."""
    five_entries()
    with write_scope() as s:
        s.exec(text("UPDATE registerentry SET fee = 0 WHERE number = 4"))
        s.exec(text("DELETE FROM registerentry WHERE number = 5"))
        s.commit()
    assert verify_register_command(None, None) == 1
    err = capsys.readouterr().err
    assert "Cơ quan HK-UBND, năm 2025, số 4: nội dung mục đã bị sửa" in err
    assert "Cơ quan HK-UBND, năm 2025, bộ đếm: bộ đếm ghi số cuối 5" in err


def _close_year(year: int, total: int) -> None:
    with write_scope() as s:
        counter = s.exec(select(RegisterCounter).where(RegisterCounter.year == year)).first()
        if counter is None:  # a year closed with no entry at all, in the office of the others
            office_id = s.exec(select(RegisterCounter.office_id)).first()
            counter = RegisterCounter(office_id=office_id, year=year)
            s.add(counter)
        counter.closed_at, counter.closed_total = local(year + 1, 1, 2), total
        s.commit()


def test_a_closed_year_must_keep_the_count_it_was_closed_with(demo_db):
    five_entries()
    _close_year(2025, 5)
    _close_year(2023, 0)  # closed empty
    assert check_register()[0] == []
    _close_year(2025, 6)  # one entry more at closing than the register now holds
    [p] = check_register()[0]
    assert str(p) == "Cơ quan HK-UBND, năm 2025, bộ đếm: sổ đã khóa với 6 việc nhưng hiện có 5 mục"


def test_without_the_file_check_a_replaced_file_is_not_looked_at(demo_db):
    entries = five_entries()
    files.path_of(entries[3].file_sha256).unlink()
    assert check_register(check_files=False)[0] == []
    assert check_register()[0] != []
