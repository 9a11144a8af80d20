"""The seal in progress: who holds an office's next register numbers, and until when.

The number is printed in the seal's appearance, so it is known before signing; the signing must not hold a
database transaction. A seal therefore reserves the counter in a short transaction (its holder and a
lease), signs outside, and records the entries in a second short transaction that releases it. Only the
holder may record, and the counter moves only then: a failed or killed seal consumes no number. A lease
whose holder died (the process is gone, or the lease ran out without renewal) is taken over by the next
seal keeper.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from domain.dossiers import WorkflowError
from domain.models import RegisterCounter

from .numbering import ensure_counter

LEASE = timedelta(seconds=90)  # renewed while the seal runs (app.signing.sign_seal); lost if not


class SealBusy(WorkflowError):
    """Another seal of the office holds the next numbers: wait and try again."""

    def __init__(self) -> None:
        super().__init__("Một người khác của cơ quan đang đóng dấu, cấp số; "
                         "vui lòng đợi ít phút rồi thực hiện lại.")


class SealLost(WorkflowError):
    """The reservation ended before the entries were recorded (it ran out, another seal took it)."""

    def __init__(self) -> None:
        super().__init__("Việc đóng dấu kéo dài quá thời hạn giữ số nên chưa được ghi vào sổ; "
                         "không có số nào bị dùng. Vui lòng đóng dấu lại.")


def counter_for_update(session: Session, office_id: int, year: int) -> RegisterCounter:
    """The year's counter row, locked for this (short) transaction (FOR UPDATE on PostgreSQL; SQLite's
    write lock is taken by the caller's write session)."""
    ensure_counter(session, office_id, year)
    counter = session.exec(select(RegisterCounter).with_for_update()
                           .where(RegisterCounter.office_id == office_id, RegisterCounter.year == year)).one()
    session.refresh(counter)
    return counter


def is_free(counter: RegisterCounter, now: datetime,
            holder_dead: Callable[[str], bool] | None = None) -> bool:
    """No seal holds the counter, or its lease ran out, or its holder is known dead."""
    if not counter.sealing_by or counter.sealing_until is None:
        return True
    if _aware(counter.sealing_until) <= now:
        return True
    return bool(holder_dead and holder_dead(counter.sealing_by))


def reserve(counter: RegisterCounter, holder: str, now: datetime,
            holder_dead: Callable[[str], bool] | None = None) -> None:
    """Hold the counter for `holder` (the caller's unit of work); SealBusy when another live seal holds it."""
    if counter.sealing_by != holder and not is_free(counter, now, holder_dead):
        raise SealBusy()
    counter.sealing_by, counter.sealing_until = holder, now + LEASE


def check_held(counter: RegisterCounter, holder: str, now: datetime) -> None:
    """SealLost unless `holder` still holds the counter (its lease may have run out if no one took it)."""
    if counter.sealing_by != holder:
        raise SealLost()
    counter.sealing_until = now + LEASE


def renew(session: Session, counter_id: int, holder: str, now: datetime) -> bool:
    """Extend the holder's lease (its own short transaction); False when it is no longer held."""
    counter = session.exec(select(RegisterCounter).where(RegisterCounter.id == counter_id)
                           .with_for_update()).one()
    session.refresh(counter)
    if counter.sealing_by != holder:
        session.rollback()
        return False
    counter.sealing_until = now + LEASE
    session.flush()
    return True


def release(session: Session, counter_id: int, holder: str) -> None:
    """Let the next seal have the numbers (after a failure; its own short transaction)."""
    counter = session.exec(select(RegisterCounter).where(RegisterCounter.id == counter_id)
                           .with_for_update()).one()
    session.refresh(counter)
    if counter.sealing_by == holder:
        counter.sealing_by, counter.sealing_until = None, None
        session.flush()
    else:
        session.rollback()


def clear(counter: RegisterCounter) -> None:
    counter.sealing_by, counter.sealing_until = None, None


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)
