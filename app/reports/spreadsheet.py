"""Spreadsheet cells that stay text: a requester named '=HYPERLINK(…)' must not become a live formula.

openpyxl turns any str starting with '=' into a formula; these helpers write such text as a string
cell with Excel's quote prefix (what typing an apostrophe does), in normal and write-only sheets.
"""
from __future__ import annotations

from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from domain.text import looks_like_formula


def as_text(cell) -> None:
    """Make one cell (normal or write-only) hold its value as plain text when it looks like a formula."""
    if looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def safe_append(ws, values: list) -> None:
    """ws.append(values), with formula-like text written as text. Works for write-only sheets too."""
    if isinstance(ws, WriteOnlyWorksheet):
        row = []
        for value in values:
            if looks_like_formula(value):
                cell = WriteOnlyCell(ws, value=value)
                as_text(cell)
                row.append(cell)
            else:
                row.append(value)
        ws.append(row)
        return
    ws.append(values)
    for cell in ws[ws.max_row]:
        as_text(cell)
