"""The register's tamper check, pure: fed one office's entries in insertion order (id), it checks the
hash chain, the numbering per year (from 1, no gap, no duplicate), each copy's stored file (through a
callback) and the yearly counters, and names every problem by office, year and number.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from domain.models import RegisterCounter, RegisterEntry
from domain.text import fold

from .numbering import entry_hash


@dataclass(frozen=True)
class Problem:
    office: str  # the office's unit code
    year: int
    number: int | None
    what: str  # Vietnamese

    def __str__(self) -> str:
        where = f"số {self.number}" if self.number is not None else "bộ đếm"
        return f"Cơ quan {self.office}, năm {self.year}, {where}: {self.what}"


class OfficeChecker:
    """Feed entries with add() in id order, then finish(counters)."""

    def __init__(self, office_code: str, file_problem: Callable[[str], str | None] | None = None,
                 check_chain: bool = True, only_year: int | None = None):
        self.office = office_code
        self.only_year = only_year  # the chain is still followed through every year
        self.file_problem = file_problem
        self.check_chain = check_chain
        self.problems: list[Problem] = []
        self.prev_hash = ""
        self.expected: dict[int, int] = {}  # year -> next number
        self.counted: dict[int, int] = {}  # year -> entries seen
        self.entries = 0

    def _bad(self, e: RegisterEntry, what: str) -> None:
        self.problems.append(Problem(self.office, e.year, e.number, what))

    def add(self, e: RegisterEntry) -> None:
        self.entries += 1
        if self.check_chain:
            if e.prev_hash != self.prev_hash:
                self._bad(
                    e, "không nối đúng chuỗi băm với mục liền trước (mục trước có thể đã bị xóa hoặc sửa)"
                )
            if entry_hash(e) != e.hash:
                self._bad(e, "nội dung mục đã bị sửa (mã băm không khớp)")
            elif not e.sealed_sha256 and (e.leader_cert_sha256 or e.office_cert_sha256):
                # the hash chains the certificates only with the sealed revision: alone they are added
                self._bad(e, "nội dung mục đã bị sửa (chứng thư ghi thêm vào mục không có bản đã đóng dấu)")
            self.prev_hash = e.hash
        # the folded copies only serve search, so they are not chained: they must follow the chained text
        folded = (fold(e.requester_name), fold(e.document_title))
        if (e.requester_name_folded, e.document_title_folded) != folded:
            self._bad(e, "nội dung mục đã bị sửa (chỉ mục tìm kiếm không khớp họ tên hoặc tên giấy tờ)")
        expected = self.expected.get(e.year, 1)
        if e.number < expected:
            self._bad(e, f"số trùng hoặc sai thứ tự (đã có số {e.number})")
        elif e.number > expected:
            missing = f"số {expected}" if e.number == expected + 1 else f"các số {expected}–{e.number - 1}"
            self._bad(e, f"thiếu {missing} trước mục này")
        self.expected[e.year] = max(expected, e.number + 1)
        self.counted[e.year] = self.counted.get(e.year, 0) + 1
        if self.file_problem is not None and self.only_year in (None, e.year):
            why = self.file_problem(e.file_sha256)
            if why:
                self._bad(e, f"tệp bản sao: {why}")

    def finish(self, counters: Iterable[RegisterCounter]) -> list[Problem]:
        for c in sorted(counters, key=lambda c: c.year):
            seen = self.counted.get(c.year, 0)
            last = self.expected.get(c.year, 1) - 1
            if c.last_number != last:
                self.problems.append(Problem(self.office, c.year, None,
                                             f"bộ đếm ghi số cuối {c.last_number} nhưng sổ có số cuối {last} "
                                             "(mục cuối có thể đã bị xóa)"))
            if c.closed_at is not None and c.closed_total != seen:
                self.problems.append(
                    Problem(
                        self.office,
                        c.year,
                        None,
                        f"sổ đã khóa với {c.closed_total} việc nhưng hiện có {seen} mục",
                    )
                )
        if self.only_year is not None:
            self.problems = [p for p in self.problems if p.year == self.only_year]
        return self.problems


