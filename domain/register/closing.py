"""Closing a year of the register. It needs the seal keeper's right (seal_copy): the seal keeper keeps the
register and the office's signature, which signs the closing summary; once closed, the seal use case
refuses any new number in that year."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from domain import audit
from domain.access import CurrentUser
from domain.clock import to_local, utcnow
from domain.dossiers import WorkflowError
from domain.models import Office, RegisterCounter, RegisterEntry
from domain.rights import Right

from .search import _office_of


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


def begin_close(session: Session, user: CurrentUser, year: int, today: date | None = None) -> YearSummary:
    """May the user close the office's register for `year` now? The closing summary's figures. Reads only:
    the summary is built and signed with the office's signature after this, outside any transaction."""
    user.require(Right.SEAL_COPY)
    office_id = _office_of(user)
    today = today or to_local(utcnow()).date()
    why = can_close(year, today)
    if why:
        raise WorkflowError(why)
    office = session.get(Office, office_id)
    counter = session.exec(select(RegisterCounter).where(RegisterCounter.office_id == office_id,
                                                         RegisterCounter.year == year)).first()
    if counter is not None and counter.closed_at is not None:
        raise WorkflowError(f"Sổ chứng thực năm {year} đã được khóa trước đó.")
    return _year_summary(session, office, year, counter.last_number if counter else 0, user.full_name)


def finish_close(session: Session, user: CurrentUser, summary: YearSummary, sha: str,
                 addr: str = "") -> RegisterCounter:
    """Record the closing (the total, the signed summary's hash); once closed, the seal use case refuses
    any new number in that year. Checks again: a seal recorded meanwhile changes the summary."""
    user.require(Right.SEAL_COPY)
    office_id, year = _office_of(user), summary.year
    counter = _counter_for_update(session, office_id, year)
    session.refresh(counter)
    if counter.closed_at is not None:
        raise WorkflowError(f"Sổ chứng thực năm {year} đã được khóa trước đó.")
    if counter.last_number != summary.total:
        raise WorkflowError(f"Sổ năm {year} vừa có thêm việc chứng thực trong lúc lập biên bản; "
                            "vui lòng khóa sổ lại.")
    counter.closed_at, counter.closed_total, counter.closing_sha256 = summary.closed_at, summary.total, sha
    audit.record(
        session,
        audit.actor_of(user, addr),
        "close_register",
        target_type="register",
        target_id=f"{office_id}/{year}",
        office_id=office_id,
        summary=f"Khóa sổ chứng thực năm {year}: {summary.total} việc chứng thực",
    )
    session.flush()
    return counter


def _counter_for_update(session: Session, office_id: int, year: int) -> RegisterCounter:
    """The year's counter, locked against concurrent seals (created if the year has no entry yet)."""
    counter = session.exec(
        select(RegisterCounter)
        .where(RegisterCounter.office_id == office_id, RegisterCounter.year == year)
        .with_for_update()
    ).first()
    if counter is None:
        counter = RegisterCounter(office_id=office_id, year=year)
        session.add(counter)
        session.flush()
    return counter


def _year_summary(session: Session, office: Office, year: int, counted: int, closed_by: str) -> YearSummary:
    """The closing summary's figures; refuses when the entries and the counter disagree."""
    where = (RegisterEntry.office_id == office.id, RegisterEntry.year == year)
    total, first, last, fees, pages, copies = session.exec(
        select(func.count(), func.min(RegisterEntry.number), func.max(RegisterEntry.number),
               func.coalesce(func.sum(RegisterEntry.fee), 0), func.coalesce(func.sum(RegisterEntry.pages), 0),
               func.coalesce(func.sum(RegisterEntry.copies), 0)).where(*where)).one()
    if total != counted or (total and (first != 1 or last != total)):
        raise WorkflowError(f"Sổ năm {year} có {total} mục nhưng bộ đếm ghi {counted}; "
                            "hãy chạy kiểm tra sổ (verify-register) trước khi khóa.")
    last_entry = session.exec(select(RegisterEntry).where(*where).order_by(RegisterEntry.number.desc())
                              .limit(1)).first()
    books = list(session.exec(select(RegisterEntry.book).where(*where).distinct()))
    by_month = [0] * 12
    for issued in session.exec(select(RegisterEntry.issued_at).where(*where)):
        by_month[to_local(issued).month - 1] += 1
    return YearSummary(
        office.name,
        office.address,
        year,
        sorted(books),
        total,
        first,
        last,
        last_entry.hash if last_entry else "",
        fees,
        pages,
        copies,
        closed_by,
        utcnow(),
        by_month,
    )
