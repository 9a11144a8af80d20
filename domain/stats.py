"""Statistics of an office for a period (local dates, inclusive): copies issued, pages, fees collected,
refusals by ground, on-time rate and median working hours per step, work per official."""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from domain.access import AccessDenied, CurrentUser
from domain.clock import to_local
from domain.deadlines import STEP_INTAKE, STEP_LEADER, STEP_SEAL, step_due
from domain.models import Account, Dossier, Office, Payment, RegisterEntry
from domain.offices import calendar_for
from domain.refusal import REFUSAL_GROUNDS
from domain.register import QueryError, local_range

STEP_LABELS = {STEP_INTAKE: "Tiếp nhận, kiểm tra", STEP_LEADER: "Lãnh đạo ký", STEP_SEAL: "Đóng dấu, cấp số",
               "result": "Trả kết quả (so với hẹn)"}
MAX_DAYS = 3 * 366


@dataclass
class StepStat:
    total: int = 0
    on_time: int = 0
    median_hours: float | None = None

    @property
    def rate(self) -> float | None:
        return self.on_time / self.total if self.total else None


@dataclass
class OfficialWork:
    name: str
    created: int = 0
    signed: int = 0
    sealed: int = 0


@dataclass
class OfficeStats:
    date_from: date
    date_to: date
    entries: int = 0  # register entries (one per original)
    copies: int = 0
    pages: int = 0
    fees_collected: int = 0
    payments: int = 0
    dossiers_issued: int = 0
    refused: int = 0
    refusals_by_ground: dict[str, int] = field(default_factory=dict)
    steps: dict[str, StepStat] = field(default_factory=dict)
    officials: list[OfficialWork] = field(default_factory=list)
    per_day: list[tuple[date, int]] = field(default_factory=list)


def office_stats(session: Session, user: CurrentUser, date_from: date, date_to: date) -> OfficeStats:
    if user.is_citizen or user.office_id is None:
        raise AccessDenied()
    if date_from > date_to:
        raise QueryError("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.")
    if (date_to - date_from).days > MAX_DAYS:
        raise QueryError("Khoảng thời gian tối đa là 3 năm.")
    office_id = user.office_id
    cal = calendar_for(session, session.get(Office, office_id))
    start, end = local_range(date_from, date_to)
    s = OfficeStats(date_from, date_to)
    _register_figures(session, s, office_id, start, end)
    s.fees_collected, s.payments = session.exec(
        select(func.coalesce(func.sum(Payment.amount), 0), func.count())
        .join(Dossier, Dossier.id == Payment.dossier_id)
        .where(Dossier.office_id == office_id, Payment.at >= start, Payment.at < end)).one()

    def dossiers_where(column):
        return session.exec(
            select(Dossier).where(Dossier.office_id == office_id, column >= start, column < end)
        ).all()

    refused = dossiers_where(Dossier.refused_at)
    s.refused = len(refused)
    s.refusals_by_ground = _by_ground(refused)
    submitted, signed = dossiers_where(Dossier.submitted_at), dossiers_where(Dossier.signed_at)
    issued = dossiers_where(Dossier.issued_at)
    s.dossiers_issued = len(issued)
    s.steps[STEP_INTAKE] = _step(submitted, "received_at", "submitted_at", STEP_INTAKE, cal)
    s.steps[STEP_LEADER] = _step(signed, "submitted_at", "signed_at", STEP_LEADER, cal)
    s.steps[STEP_SEAL] = _step(issued, "signed_at", "issued_at", STEP_SEAL, cal)
    s.steps["result"] = _result_step([*issued, *refused], cal)
    s.officials = _officials(session, dossiers_where(Dossier.received_at), signed, issued)
    return s


def _register_figures(session: Session, s: OfficeStats, office_id: int, start, end) -> None:
    """Entries, copies and pages of the period, and the entries of each day (at most 400 days listed)."""
    in_period = (
        RegisterEntry.office_id == office_id,
        RegisterEntry.issued_at >= start,
        RegisterEntry.issued_at < end,
    )
    s.entries, s.copies, s.pages = session.exec(
        select(func.count(), func.coalesce(func.sum(RegisterEntry.copies), 0),
               func.coalesce(func.sum(RegisterEntry.pages), 0)).where(*in_period)).one()
    per_day = Counter(
        to_local(t).date() for t in session.exec(select(RegisterEntry.issued_at).where(*in_period))
    )
    day = s.date_from
    while day <= s.date_to and len(s.per_day) < 400:
        s.per_day.append((day, per_day.get(day, 0)))
        day += timedelta(days=1)


def _by_ground(refused: list[Dossier]) -> dict[str, int]:
    """Refusals counted by legal ground, the listed grounds first in their order."""
    grounds: Counter[str] = Counter()
    for d in refused:
        grounds.update(d.refusal_grounds or ["(không ghi căn cứ)"])
    return {
        g: grounds[g] for g in [*REFUSAL_GROUNDS, *sorted(set(grounds) - set(REFUSAL_GROUNDS))] if grounds[g]
    }


def _step(rows: list[Dossier], begin_attr: str, end_attr: str, name: str, cal) -> StepStat:
    """How many dossiers finished the step in time, and the median working hours it took."""
    stat, hours = StepStat(), []
    for d in rows:
        begin, finish = getattr(d, begin_attr), getattr(d, end_attr)
        if begin is None or finish is None:
            continue
        due = step_due(name, begin, cal, complex=d.complex)
        stat.total += 1
        stat.on_time += to_local(finish) <= due
        hours.append(max(0.0, cal.working_hours_between(begin, finish)))
    stat.median_hours = round(statistics.median(hours), 2) if hours else None
    return stat


def _result_step(finished: list[Dossier], cal) -> StepStat:
    """Results (issued or refused) given by the dossier's due date."""
    result, hours = StepStat(), []
    for d in finished:
        finish = d.issued_at or d.refused_at
        result.total += 1
        result.on_time += to_local(finish) <= to_local(d.due_at)
        hours.append(max(0.0, cal.working_hours_between(d.received_at, finish)))
    result.median_hours = round(statistics.median(hours), 2) if hours else None
    return result


def _officials(session: Session, received: list[Dossier], signed: list[Dossier],
               issued: list[Dossier]) -> list[OfficialWork]:
    """Each official's dossiers received, signed and sealed, by name."""
    work: dict[int, OfficialWork] = {}

    def bump(account_id: int | None, attr: str) -> None:
        if account_id is None:
            return
        if account_id not in work:
            account = session.get(Account, account_id)
            work[account_id] = OfficialWork(account.full_name if account else f"#{account_id}")
        setattr(work[account_id], attr, getattr(work[account_id], attr) + 1)

    for d in received:
        bump(d.created_by_id, "created")
    for d in signed:
        bump(d.signed_by_id, "signed")
    for d in issued:
        bump(d.sealed_by_id, "sealed")
    return sorted(work.values(), key=lambda w: w.name)
