"""Step 4, the seal keeper seals and the register numbers — in two short transactions around the signing.

    work = begin_seal(…)    # checks; reserves the next numbers (domain.register.reservation)
    …                       # the caller seals each copy with work.items[i].info, outside any transaction
    finish_seal(…, work, …) # checks again; the entries, the counter, the dossier issued; releases

Numbers are consecutive with no gap: the counter moves only in finish_seal, and only the reservation's
holder may record; after a failure the caller releases the reservation (or it runs out after a crash), and
the same numbers go to the next seal.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from domain import audit, requester_notices, webhook_events, workflow
from domain.access import CurrentUser
from domain.certification import SealedCopy, SealInfo, _add_copy_files, _entry
from domain.clock import Clock, to_local, utcnow
from domain.dossiers import WorkflowError, get_dossier_for, originals_of
from domain.models import Account, Office, RegisterCounter, RegisterEntry
from domain.offices import book_label, number_text
from domain.register.numbering import entry_hash, last_hash, new_verify_code
from domain.register.reservation import check_held, clear, counter_for_update, reserve
from domain.rights import Right

TAKEN = "Hồ sơ đã được xử lý bởi người khác."


@dataclass(frozen=True)
class SealItem:
    """One original to seal: its leader-signed copy and the number reserved for it."""
    original_id: int
    title: str
    signed_sha256: str
    info: SealInfo
    verify_code: str


@dataclass(frozen=True)
class SealWork:
    """A seal in progress: what begin_seal checked and reserved, for finish_seal to check again."""
    dossier_id: int
    dossier_code: str
    office_id: int
    counter_id: int
    holder: str
    first_number: int
    issued_at: datetime
    items: tuple[SealItem, ...]


def begin_seal(session: Session, user: CurrentUser, dossier_id: int, holder: str, base_url: str,
               holder_dead: Callable[[str], bool] | None = None, clock: Clock | None = None) -> SealWork:
    """May the user seal this dossier now (right, office, state, year not closed)? Reserves the office's
    next numbers for `holder` (SealBusy while another live seal holds them)."""
    user.require(Right.SEAL_COPY)
    dossier = get_dossier_for(session, user, dossier_id)
    workflow.next_state(dossier.state, workflow.SEAL)
    office = session.get(Office, dossier.office_id)
    now = utcnow(clock)  # the register's year and date come from the clock (year rollover)
    today = to_local(now).date()
    counter = counter_for_update(session, office.id, today.year)
    session.refresh(dossier)  # re-read under the lock: another seal keeper may have been first
    if dossier.state != workflow.SIGNED:
        raise WorkflowError(TAKEN)
    if counter.closed_at is not None:
        raise WorkflowError(f"Sổ chứng thực năm {today.year} đã khóa; không thể cấp số mới.")
    reserve(counter, holder, now, holder_dead)
    items, number = [], counter.last_number
    for original in originals_of(session, dossier.id):
        if not original.signed_sha256:
            raise WorkflowError(f"«{original.title}» chưa có chữ ký của lãnh đạo.")
        number += 1
        code = new_verify_code()
        info = SealInfo(number, number_text(office, number), book_label(office, counter.book, today.year),
                        today, f"{base_url}/verify/{code}")
        items.append(SealItem(original.id, original.title, original.signed_sha256, info, code))
    work = SealWork(dossier.id, dossier.code, office.id, counter.id, holder, counter.last_number + 1, now,
                    tuple(items))
    session.flush()
    return work


def finish_seal(session: Session, user: CurrentUser, work: SealWork, sealed: list[SealedCopy],
                stored: list[str], addr: str = "", clock: Clock | None = None) -> list[RegisterEntry]:
    """Record the sealed copies (`stored`: their files, already in the store) under the reserved numbers,
    issue the dossier (signed → issued), release the reservation. Refuses, recording nothing,
    when the reservation was lost or the dossier changed meanwhile (the caller then releases)."""
    user.require(Right.SEAL_COPY)
    counter = session.exec(select(RegisterCounter).where(RegisterCounter.id == work.counter_id)
                           .with_for_update()).one()
    session.refresh(counter)
    now = utcnow(clock)
    check_held(counter, work.holder, now)
    if counter.closed_at is not None:
        raise WorkflowError(f"Sổ chứng thực năm {counter.year} đã khóa; không thể cấp số mới.")
    if counter.last_number != work.first_number - 1:  # only the holder moves it: never seen, but never a gap
        raise WorkflowError(TAKEN)
    dossier = get_dossier_for(session, user, work.dossier_id)
    session.refresh(dossier)
    originals = originals_of(session, dossier.id)
    if dossier.state != workflow.SIGNED or [(o.id, o.signed_sha256) for o in originals] != [
            (i.original_id, i.signed_sha256) for i in work.items]:
        raise WorkflowError(TAKEN)
    office = session.get(Office, dossier.office_id)
    signer = session.get(Account, dossier.signed_by_id)
    prev_hash = last_hash(session, office.id)
    entries = []
    for original, item, copy, sha in zip(originals, work.items, sealed, stored, strict=True):
        entry = _entry(dossier, original, item.info, item.verify_code, copy, sha, work.issued_at,
                       signer.full_name if signer else "")
        entry.prev_hash = prev_hash
        entry.hash = entry_hash(entry)
        prev_hash = entry.hash
        counter.last_number = item.info.number
        session.add(entry)
        entries.append(entry)
    clear(counter)
    dossier.state = workflow.next_state(dossier.state, workflow.SEAL)
    dossier.issued_at, dossier.sealed_by_id, dossier.step_due_at = work.issued_at, user.account_id, None
    session.flush()
    _add_copy_files(session, entries, [c.ts_expires_at for c in sealed], work.issued_at)
    requester_notices.copy_ready(session, dossier, office, entries)
    audit.record(session, audit.actor_of(user, addr), "seal", target_type="dossier", target_id=dossier.id,
                 office_id=office.id,
                 summary=f"Cấp số {', '.join(e.number_text for e in entries)} cho hồ sơ {dossier.code}")
    webhook_events.record(session, dossier, webhook_events.SEALED)
    session.flush()
    return entries
