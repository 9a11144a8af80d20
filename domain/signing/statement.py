"""The certification statement (lời chứng) and how it is split between page and office stamp.

Nothing may be written into the PDF after the leader signs except the office signature, so the
template lines that need the register number or the date ({number}, {book}, {dd}, {mm}, {yyyy})
are shown in the office signature's appearance; the other lines are printed on the page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

LEADER_FIELD = "LanhDao"
OFFICE_FIELD = "CoQuan"

DEFAULT_STATEMENT_TEMPLATE = (
    "Chứng thực bản sao đúng với bản chính.\n"
    "Số chứng thực: {number}   Quyển số: {book}\n"
    "Ngày {dd} tháng {mm} năm {yyyy}\n"
    "Người thực hiện chứng thực\n"
    "(Ký, ghi rõ họ tên và đóng dấu)"
)

SEALING_FIELDS = ("number", "book", "dd", "mm", "yyyy")
_PLACEHOLDER = re.compile(r"\{(\w+)[^}]*\}")


@dataclass(frozen=True)
class StatementParts:
    """``before``: printed above the signature boxes; ``at_sealing``: templates for the office
    stamp; ``signer_caption``: printed above the leader's box."""

    before: tuple[str, ...]
    at_sealing: tuple[str, ...]
    signer_caption: tuple[str, ...]


def split_statement(template: str = DEFAULT_STATEMENT_TEMPLATE) -> StatementParts:
    lines = [line.strip() for line in template.strip().splitlines() if line.strip()]
    sealing_idx = [i for i, line in enumerate(lines) if _needs_sealing(line)]
    if not sealing_idx:
        return StatementParts(tuple(lines), (), ())
    first, last = sealing_idx[0], sealing_idx[-1]
    return StatementParts(
        before=tuple(lines[:first]),
        at_sealing=tuple(lines[first : last + 1]),
        signer_caption=tuple(lines[last + 1 :]),
    )


def format_sealing_lines(template: str, *, number_text: str, book: str, on: date) -> tuple[str, ...]:
    """The statement lines filled in at sealing: "Số chứng thực: 15/ĐT   Quyển số: 01/2025-SCTĐT/BS"…"""
    values = {"number": number_text, "book": book, "dd": f"{on.day:02d}", "mm": f"{on.month:02d}",
              "yyyy": f"{on.year:04d}"}
    return tuple(line.format(**values) for line in split_statement(template).at_sealing)


def vietnamese_date(on: date) -> str:
    return f"Ngày {on.day:02d} tháng {on.month:02d} năm {on.year:04d}"


def _needs_sealing(line: str) -> bool:
    return any(name in SEALING_FIELDS for name in _PLACEHOLDER.findall(line))
