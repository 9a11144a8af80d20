"""`python main.py verify-register [--office CODE] [--year YYYY]`: the register's tamper check.

Exit 0 when every checked register is whole; 1 naming the first bad entry (office, year, number,
what is wrong) and how many problems there are; 2 for a bad argument.
"""
from __future__ import annotations

import sys

from sqlmodel import select

from app import files
from app.db import migrate, session_scope
from domain.models import Office, RegisterCounter, RegisterEntry, Unit
from domain.register.check import OfficeChecker, Problem


def file_problem(sha256: str) -> str | None:
    """Why the stored copy does not match its entry, or None."""
    try:
        files.read_bytes(sha256)
    except files.FileMissing as exc:
        return (
            "nội dung tệp không khớp mã SHA-256 trong sổ"
            if "does not match" in str(exc)
            else "không tìm thấy tệp"
        )
    return None


def check_register(office_code: str | None = None, year: int | None = None,
                   check_files: bool = True) -> tuple[list[Problem], int, list[str]]:
    """(problems, entries checked, office codes checked). Raises LookupError for an unknown office code."""
    problems: list[Problem] = []
    checked = 0
    codes: list[str] = []
    with session_scope() as session:
        offices = session.exec(
            select(Office, Unit).join(Unit, Unit.id == Office.unit_id).order_by(Office.id)
        ).all()
        if office_code:
            offices = [(o, u) for o, u in offices if u.code == office_code]
            if not offices:
                raise LookupError(office_code)
        for office, unit in offices:
            codes.append(unit.code)
            checker = OfficeChecker(unit.code, file_problem if check_files else None, only_year=year)
            stmt = (
                select(RegisterEntry)
                .where(RegisterEntry.office_id == office.id)
                .order_by(RegisterEntry.id)
                .execution_options(yield_per=5000)
            )
            for entry in session.exec(stmt):
                checker.add(entry)
                if year is None or entry.year == year:
                    checked += 1
            session.expunge_all()
            counters = session.exec(
                select(RegisterCounter).where(RegisterCounter.office_id == office.id)
            ).all()
            problems += checker.finish(counters)
    return problems, checked, codes


def verify_register_command(office_code: str | None, year: int | None) -> int:
    migrate()
    try:
        problems, checked, codes = check_register(office_code, year)
    except LookupError:
        print(f"Không có cơ quan nào có mã đơn vị {office_code}.", file=sys.stderr)
        return 2
    scope = f"năm {year}" if year else "mọi năm"
    if not problems:
        print(f"Sổ chứng thực toàn vẹn ({', '.join(codes) or 'không có cơ quan'}; {scope}): {checked} mục, "
              "chuỗi băm, đánh số và tệp bản sao đều khớp.")
        return 0
    print(f"Sổ chứng thực có sai lệch — mục đầu tiên: {problems[0]}", file=sys.stderr)
    for problem in problems[1:20]:
        print(f"  {problem}", file=sys.stderr)
    if len(problems) > 20:
        print(f"  … và {len(problems) - 20} sai lệch khác.", file=sys.stderr)
    print(f"Tổng cộng {len(problems)} sai lệch trong {checked} mục đã kiểm tra.", file=sys.stderr)
    return 1
