"""The register of certified copies (sổ chứng thực): search, one entry's detail, the month's rows,
and the year-end closing.

Every function is scoped to the official's office (CurrentUser.office_id); any official of the
office may read the register. Closing a year needs the seal keeper's right (seal_copy): the seal
keeper keeps the register and the office's signature, which signs the closing summary.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Callable, Iterator

from sqlalchemy import func
from sqlmodel import Session, select

from domain import audit
from domain.access import AccessDenied, CurrentUser
from domain.audit import Actor
from domain.clock import LOCAL_TZ, to_local, to_utc, utcnow
from domain.dossiers import WorkflowError
from domain.models import (Account, AuditEvent, Dossier, Office, Original, RegisterCounter, RegisterEntry,
                           Revocation)
from domain.rights import Right
from domain.text import fold
from domain.errors import DomainError

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
    for column, text in ((RegisterEntry.requester_name_folded, q.name), (RegisterEntry.document_title_folded, q.title)):
        prefix = fold(text)
        if prefix:  # a range the index serves (LIKE 'x%' is not indexed on SQLite), LIKE to be exact
            conds += [column >= prefix, column < prefix + _PREFIX_END, column.like(_like_prefix(prefix), escape="\\")]
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
    order = (RegisterEntry.year.desc(), RegisterEntry.number.desc()) if len(conds) == 1 else (RegisterEntry.id.desc(),)
    ids = list(session.exec(select(RegisterEntry.id).where(*conds).order_by(*order)
                            .offset((page - 1) * size).limit(size)))
    rows = []
    if ids:
        entries = {e.id: e for e in session.exec(select(RegisterEntry).where(RegisterEntry.id.in_(ids)))}
        revoked = set(session.exec(select(Revocation.entry_id).where(Revocation.entry_id.in_(ids))))
        rows = [_row(entries[i], i in revoked) for i in ids]
    return SearchResult(rows, total, page, pages)


def _row(e: RegisterEntry, revoked: bool = False) -> RegisterRow:
    return RegisterRow(e.id, e.year, e.number, e.number_text, e.book, e.issued_at, e.requester_name,
                       e.requester_id_number, e.document_title, e.issuer, e.pages, e.copies, e.fee, e.signer_name,
                       e.notes, revoked)


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
    stmt = (select(RegisterEntry).where(RegisterEntry.office_id == office_id, RegisterEntry.issued_at >= start,
                                        RegisterEntry.issued_at < end)
            .order_by(RegisterEntry.year, RegisterEntry.number)
            .execution_options(yield_per=batch))
    yield from session.exec(stmt)


def month_rows(session: Session, user: CurrentUser, year: int, month: int) -> list[RegisterRow]:
    """The month's rows as plain tuples (a raw column select: much faster than ORM objects)."""
    office_id = _office_of(user)
    start, end = month_range(year, month)
    cols = (RegisterEntry.id, RegisterEntry.year, RegisterEntry.number, RegisterEntry.number_text, RegisterEntry.book,
            RegisterEntry.issued_at, RegisterEntry.requester_name, RegisterEntry.requester_id_number,
            RegisterEntry.document_title, RegisterEntry.issuer, RegisterEntry.pages, RegisterEntry.copies,
            RegisterEntry.fee, RegisterEntry.signer_name, RegisterEntry.notes)
    result = session.connection().execute(
        select(*cols).where(RegisterEntry.office_id == office_id, RegisterEntry.issued_at >= start,
                            RegisterEntry.issued_at < end).order_by(RegisterEntry.year, RegisterEntry.number))
    revoked = set(session.exec(select(Revocation.entry_id).join(RegisterEntry, RegisterEntry.id == Revocation.entry_id)
                               .where(RegisterEntry.office_id == office_id, RegisterEntry.issued_at >= start,
                                      RegisterEntry.issued_at < end)))
    return [RegisterRow(*r, revoked=r[0] in revoked) for r in result]


# ---- year-end closing ------------------------------------------------------------------------

@dataclass(frozen=True)
class YearSummary:
    office_name: str
    office_address: str
    year: int
    books: list[str]
    total: int
    first_number: int | None
    last_number: int | None
    last_hash: str
    fees: int
    pages: int
    copies: int
    closed_by: str
    closed_at: datetime
    by_month: list[int] = field(default_factory=list)  # 12 counts


def year_status(session: Session, user: CurrentUser) -> list[RegisterCounter]:
    """The office's yearly counters, newest year first (open and closed)."""
    office_id = _office_of(user)
    return list(session.exec(select(RegisterCounter).where(RegisterCounter.office_id == office_id)
                             .order_by(RegisterCounter.year.desc())))


def can_close(year: int, today: date) -> str | None:
    """Why the year cannot be closed yet (Vietnamese), or None."""
    if year > today.year:
        return f"Năm {year} chưa bắt đầu."
    if year == today.year and (today.month, today.day) != (12, 31):
        return f"Chỉ khóa sổ năm {year} từ ngày 31/12/{year}."
    return None


def close_year(session: Session, user: CurrentUser, year: int,
               make_summary_pdf: Callable[[YearSummary], bytes], store_put: Callable[[Session, bytes, str], str],
               addr: str = "", today: date | None = None) -> RegisterCounter:
    """Close the office's register for `year`: record the total, the signed summary's hash. Commits.

    `make_summary_pdf` builds and signs the closing summary (the caller's adapter: fpdf2 + pyHanko with
    the office's signature); once closed, the seal use case refuses any new number in that year.
    """
    user.require(Right.SEAL_COPY)
    office_id = _office_of(user)
    today = today or to_local(utcnow()).date()
    why = can_close(year, today)
    if why:
        raise WorkflowError(why)
    office = session.get(Office, office_id)
    counter = session.exec(select(RegisterCounter).where(RegisterCounter.office_id == office_id,
                                                         RegisterCounter.year == year).with_for_update()).first()
    if counter is None:
        counter = RegisterCounter(office_id=office_id, year=year)
        session.add(counter)
        session.flush()
    if counter.closed_at is not None:
        raise WorkflowError(f"Sổ chứng thực năm {year} đã được khóa trước đó.")
    where = (RegisterEntry.office_id == office_id, RegisterEntry.year == year)
    total, first, last, fees, pages, copies = session.exec(
        select(func.count(), func.min(RegisterEntry.number), func.max(RegisterEntry.number),
               func.coalesce(func.sum(RegisterEntry.fee), 0), func.coalesce(func.sum(RegisterEntry.pages), 0),
               func.coalesce(func.sum(RegisterEntry.copies), 0)).where(*where)).one()
    if total != counter.last_number or (total and (first != 1 or last != total)):
        raise WorkflowError(f"Sổ năm {year} có {total} mục nhưng bộ đếm ghi {counter.last_number}; "
                            "hãy chạy kiểm tra sổ (verify-register) trước khi khóa.")
    last_entry = session.exec(select(RegisterEntry).where(*where).order_by(RegisterEntry.number.desc())
                              .limit(1)).first()
    books = list(session.exec(select(RegisterEntry.book).where(*where).distinct()))
    by_month = [0] * 12
    for issued in session.exec(select(RegisterEntry.issued_at).where(*where)):
        by_month[to_local(issued).month - 1] += 1
    now = utcnow()
    summary = YearSummary(office.name, office.address, year, sorted(books), total, first, last,
                          last_entry.hash if last_entry else "", fees, pages, copies, user.full_name, now, by_month)
    pdf = make_summary_pdf(summary)
    sha = store_put(session, pdf, "application/pdf")
    counter.closed_at, counter.closed_total, counter.closing_sha256 = now, total, sha
    audit.record(session, Actor(user.account_id, user.full_name, addr), "close_register", target_type="register",
                 target_id=f"{office_id}/{year}", office_id=office_id,
                 summary=f"Khóa sổ chứng thực năm {year}: {total} việc chứng thực")
    session.commit()
    return counter
