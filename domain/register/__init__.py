"""The register of certified copies (sổ chứng thực), by job:

- numbering.py: the yearly counter and the hash chain of entries (used by sealing, domain/certification.py);
- search.py: search, one entry's detail, the month's rows (any official of the office);
- closing.py: the year-end closing (the seal keeper);
- check.py: the tamper check of a whole register (`main.py verify-register`).

`from domain import register as reg; reg.search(…)` keeps working: the names are re-exported here.
"""
from .closing import YearSummary, begin_close, can_close, finish_close, year_status
from .numbering import ensure_counter, entry_hash, last_hash
from .search import (
    PAGE_SIZE,
    EntryDetail,
    QueryError,
    RegisterQuery,
    RegisterRow,
    SearchResult,
    entry_detail,
    local_day_start,
    local_range,
    month_entries,
    month_range,
    month_rows,
    search,
)

__all__ = [
    "PAGE_SIZE", "EntryDetail", "QueryError", "RegisterQuery", "RegisterRow", "SearchResult",
    "YearSummary", "begin_close", "can_close", "ensure_counter", "entry_detail", "entry_hash", "finish_close",
    "last_hash",
    "local_day_start", "local_range", "month_entries", "month_range", "month_rows",
    "search", "year_status",
]
