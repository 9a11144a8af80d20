"""Reading the register of certified copies (sổ chứng thực): search, one entry's detail, the month's rows.

Every function is scoped to the official's office (CurrentUser.office_id); any official of the
office may read the register.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from domain.access import AccessDenied, CurrentUser
from domain.clock import LOCAL_TZ, to_utc
from domain.errors import DomainError
from domain.models import Account, AuditEvent, Dossier, Original, RegisterCounter, RegisterEntry, Revocation
from domain.text import fold

PAGE_SIZE = 20
_PREFIX_END = "\U0010ffff"  # upper bound of a prefix range: 'abc' <= x < 'abc\U0010ffff'
_DIGITS = re.compile(r"\d+")
_ID_NUMBER = re.compile(r"\d{9}|\d{12}")


@dataclass(frozen=True)
class RegisterQuery:
    number: str = ""  # "125" or "125/ĐT"
    date_from: date | None = None  # local dates, inclusive
    date_to: date | None = None
    name: str = ""  # requester's name: folded prefix
    id_number: str = ""
    title: str = ""  # document title: folded prefix
    page: int = 1
    page_size: int = PAGE_SIZE


@dataclass(frozen=True)
class RegisterRow:
    id: int
    year: int
    number: int
    number_text: str
    book: str
    issued_at: datetime
    requester_name: str
    requester_id_number: str | None
    document_title: str
    issuer: str
    pages: int
    copies: int
    fee: int
    signer_name: str
    notes: str
    revoked: bool = False


@dataclass(frozen=True)
class SearchResult:
    rows: list[RegisterRow]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class EntryDetail:
    entry: RegisterEntry
    dossier: Dossier
    original: Original | None
    events: list[AuditEvent]
    revocation: Revocation | None
    revoked_by: str = ""


class QueryError(DomainError, ValueError):
    """A register search with unusable criteria."""


def _office_of(user: CurrentUser) -> int:
    if user.is_citizen or user.office_id is None:
        raise AccessDenied()
    return user.office_id


def local_day_start(d: date) -> datetime:
    return to_utc(datetime.combine(d, time.min, tzinfo=LOCAL_TZ))


def local_range(date_from: date | None, date_to: date | None) -> tuple[datetime | None, datetime | None]:
    """[start, end) in UTC for local dates, both inclusive."""
    return (local_day_start(date_from) if date_from else None,
            local_day_start(date_to + timedelta(days=1)) if date_to else None)


def _conditions(office_id: int, q: RegisterQuery) -> list:
    conds = [RegisterEntry.office_id == office_id]
    if q.number.strip():
        match = _DIGITS.search(q.number)
        if not match:
            raise QueryError("Số chứng thực phải có chữ số, ví dụ 125 hoặc 125/ĐT.")
        conds.append(RegisterEntry.number == int(match.group()))
    if q.date_from and q.date_to and q.date_from > q.date_to:
        raise QueryError("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.")
    start, end = local_range(q.date_from, q.date_to)
    if start:
        conds.append(RegisterEntry.issued_at >= start)
    if end:
        conds.append(RegisterEntry.issued_at < end)
    for column, text in (
        (RegisterEntry.requester_name_folded, q.name),
        (RegisterEntry.document_title_folded, q.title),
    ):
        prefix = fold(text)
        if prefix:  # a range the index serves (LIKE 'x%' is not indexed on SQLite), LIKE to be exact
            conds += [
                column >= prefix,
                column < prefix + _PREFIX_END,
                column.like(_like_prefix(prefix), escape="\\"),
            ]
    digits = re.sub(r"\s+", "", q.id_number)
    if digits:
        if not digits.isdigit():
            raise QueryError("Số định danh chỉ gồm chữ số.")
        conds.append(RegisterEntry.requester_id_number == digits)
    return conds


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search(session: Session, user: CurrentUser, q: RegisterQuery) -> SearchResult:
    """The page of entries matching the query, newest first, and how many match in all."""
    office_id = _office_of(user)
    conds = _conditions(office_id, q)
    if len(conds) == 1:  # the whole register: the counters know its size (count(*) of a big register is slow)
        total = session.exec(select(func.coalesce(func.sum(RegisterCounter.last_number), 0))
                             .where(RegisterCounter.office_id == office_id)).one()
    else:
        total = session.exec(select(func.count()).select_from(RegisterEntry).where(*conds)).one()
    size = max(1, min(q.page_size, 200))
    pages = max(1, -(-total // size))
    page = min(max(1, q.page), pages)
    # Two steps: the ids from an index alone (sorting the narrow id list), then the rows themselves.
    # Newest first. The whole register: in (office, year, number) order, which the unique index serves;
    # filtered: by id, which every index carries, so only the matching ids are sorted.
    order = (
        (RegisterEntry.year.desc(), RegisterEntry.number.desc())
        if len(conds) == 1
        else (RegisterEntry.id.desc(),)
    )
    ids = list(session.exec(select(RegisterEntry.id).where(*conds).order_by(*order)
                            .offset((page - 1) * size).limit(size)))
    rows = []
    if ids:
        entries = {e.id: e for e in session.exec(select(RegisterEntry).where(RegisterEntry.id.in_(ids)))}
        revoked = set(session.exec(select(Revocation.entry_id).where(Revocation.entry_id.in_(ids))))
        rows = [_row(entries[i], i in revoked) for i in ids]
    return SearchResult(rows, total, page, pages)


def _row(e: RegisterEntry, revoked: bool = False) -> RegisterRow:
    return RegisterRow(
        e.id,
        e.year,
        e.number,
        e.number_text,
        e.book,
        e.issued_at,
        e.requester_name,
        e.requester_id_number,
        e.document_title,
        e.issuer,
        e.pages,
        e.copies,
        e.fee,
        e.signer_name,
        e.notes,
        revoked,
    )


def entry_detail(session: Session, user: CurrentUser, entry_id: int) -> EntryDetail | None:
    """Everything about one entry of the user's office, or None (absent or another office's)."""
    office_id = _office_of(user)
    entry = session.get(RegisterEntry, entry_id)
    if entry is None or entry.office_id != office_id:
        return None
    dossier = session.get(Dossier, entry.dossier_id)
    original = session.get(Original, entry.original_id)
    events = list(session.exec(select(AuditEvent).where(AuditEvent.target_type == "dossier",
                                                        AuditEvent.target_id == str(entry.dossier_id))
                               .order_by(AuditEvent.id)))
    revocation = session.exec(select(Revocation).where(Revocation.entry_id == entry.id)).first()
    by = ""
    if revocation:
        account = session.get(Account, revocation.by_id)
        by = account.full_name if account else ""
    return EntryDetail(entry, dossier, original, events, revocation, by)


def month_range(year: int, month: int) -> tuple[datetime, datetime]:
    if not (1 <= month <= 12) or not (2000 <= year <= 2200):
        raise QueryError("Tháng hoặc năm không hợp lệ.")
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return local_day_start(first), local_day_start(nxt)


def month_entries(session: Session, user: CurrentUser, year: int, month: int,
                  batch: int = 2000) -> Iterator[RegisterEntry]:
    """The month's entries in register order (streamed, for the monthly print and export)."""
    office_id = _office_of(user)
    start, end = month_range(year, month)
    stmt = (
        select(RegisterEntry)
        .where(
            RegisterEntry.office_id == office_id,
            RegisterEntry.issued_at >= start,
            RegisterEntry.issued_at < end,
        )
        .order_by(RegisterEntry.year, RegisterEntry.number)
        .execution_options(yield_per=batch)
    )
    yield from session.exec(stmt)


def month_rows(session: Session, user: CurrentUser, year: int, month: int) -> list[RegisterRow]:
    """The month's rows as plain tuples (a raw column select: much faster than ORM objects)."""
    office_id = _office_of(user)
    start, end = month_range(year, month)
    cols = (
        RegisterEntry.id,
        RegisterEntry.year,
        RegisterEntry.number,
        RegisterEntry.number_text,
        RegisterEntry.book,
        RegisterEntry.issued_at,
        RegisterEntry.requester_name,
        RegisterEntry.requester_id_number,
        RegisterEntry.document_title,
        RegisterEntry.issuer,
        RegisterEntry.pages,
        RegisterEntry.copies,
        RegisterEntry.fee,
        RegisterEntry.signer_name,
        RegisterEntry.notes,
    )
    result = session.connection().execute(
        select(*cols).where(RegisterEntry.office_id == office_id, RegisterEntry.issued_at >= start,
                            RegisterEntry.issued_at < end).order_by(RegisterEntry.year, RegisterEntry.number))
    revoked = set(
        session.exec(
            select(Revocation.entry_id)
            .join(RegisterEntry, RegisterEntry.id == Revocation.entry_id)
            .where(
                RegisterEntry.office_id == office_id,
                RegisterEntry.issued_at >= start,
                RegisterEntry.issued_at < end,
            )
        )
    )
    return [RegisterRow(*r, revoked=r[0] in revoked) for r in result]
