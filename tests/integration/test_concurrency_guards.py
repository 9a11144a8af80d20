"""The locks that keep concurrent writers honest, each raced on SQLite and PostgreSQL: every test here
fails when its lock is removed (on PostgreSQL: the row lock or advisory lock; on SQLite: BEGIN IMMEDIATE).

- the last place of a slot, booked by many threads and a second process at once: exactly one booking;
- sign-ins while other writers grow the audit trail: one unbroken hash chain;
- seals in two offices at once: each office's register counts 1, 2, 3… with no gap or duplicate;
- paying and refusing the same dossier at once: never a fee collected after the refusal."""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import date, datetime
from pathlib import Path

from sqlmodel import select

from app.db import UNITS, session_scope, write_scope
from app.signing import certification_service as service
from domain import accounts, audit, dossiers, payments, refusal
from domain import appointments as appts
from domain.access import CurrentUser
from domain.audit import Actor
from domain.calendar import LOCAL_TZ
from domain.dossiers import WorkflowError
from domain.models import Account, Appointment, AuditEvent, Office, RegisterEntry, RightGrant, Unit
from domain.text import fold
from tests.support.workflow import signed_dossier_ready, user_named

ROOT = Path(__file__).resolve().parents[2]
MONDAY = date(2030, 3, 4)
NOW = datetime(2030, 3, 1, 9, 0, tzinfo=LOCAL_TZ)


def race(workers: list, args: list[tuple]) -> list[Exception]:
    """Start every worker at the same instant (a barrier) and return what they raised."""
    barrier = threading.Barrier(len(workers))
    errors: list[Exception] = []

    def run(work, args):
        barrier.wait(timeout=60)
        try:
            work(*args)
        except Exception as exc:  # noqa: BLE001 — the caller asserts on them
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w, a)) for w, a in zip(workers, args, strict=False)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a worker is still running after 300 s"
    return errors


def _citizens(count: int) -> list[CurrentUser]:
    users = []
    with write_scope() as session:
        for i in range(count):
            number = f"0792000{i:05d}"
            account = Account(
                kind="citizen",
                username=number,
                full_name=f"Công dân {i}",
                name_folded=fold("cong dan"),
                id_number=number,
                phone=f"09880{i:05d}",
            )
            session.add(account)
            session.flush()
            users.append(CurrentUser(account.id, account.username, account.full_name, "citizen"))
        session.commit()
    return users


BOOK_IN_ANOTHER_PROCESS = r"""
import os, sys, time
from datetime import date, datetime
sys.path.insert(0, {root!r})
from app.db import write_scope
from domain import appointments as appts
from domain.access import CurrentUser
from domain.calendar import LOCAL_TZ
citizen = CurrentUser({account_id}, "other", "Công dân khác", "citizen")
while not os.path.exists({go!r}):
    time.sleep(0.005)
try:
    with write_scope() as session:
        appts.book(session, citizen, {office_id}, date(2030, 3, 4), "08:30",
                   now=datetime(2030, 3, 1, 9, 0, tzinfo=LOCAL_TZ))
    print("booked")
except appts.AppointmentError as exc:
    print("refused", exc)
"""


def test_many_threads_and_a_second_process_book_the_last_place_of_a_slot_once(db_url, tmp_path):
    with write_scope() as session:
        office = session.exec(select(Office)).first()
        office.slot_capacity, office_id = 1, office.id
        session.commit()
    citizens = _citizens(9)
    go = tmp_path / "go"
    other = subprocess.Popen([sys.executable, "-c", BOOK_IN_ANOTHER_PROCESS.format(
        root=str(ROOT), account_id=citizens[-1].account_id, office_id=office_id, go=str(go))],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)  # let it import and wait for the start signal

    def book(citizen):
        if citizen is citizens[0]:
            go.touch()
        with write_scope() as session:
            appts.book(session, citizen, office_id, MONDAY, "08:30", now=NOW)

    errors = race([book] * 8, [(c,) for c in citizens[:8]])
    out, err = other.communicate(timeout=120)
    assert other.returncode == 0, err
    assert all(isinstance(e, appts.AppointmentError) and "kín chỗ" in e.message for e in errors), errors
    with session_scope() as session:
        booked = session.exec(select(Appointment).where(Appointment.slot == "08:30",
                                                        Appointment.status == appts.BOOKED)).all()
    assert len(booked) == 1, f"{len(booked)} bookings for a one-place slot"
    assert len(errors) + out.startswith("refused") == 8
    # a second round on the next slot, threads only: one race may by chance run one booking after another
    errors = race([lambda c: _book(c, office_id, "09:00")] * 8, [(c,) for c in citizens[:8]])
    assert len(errors) == 7 and all(isinstance(e, appts.AppointmentError) and "kín chỗ" in e.message
                                    for e in errors), errors
    with session_scope() as session:
        assert len(session.exec(select(Appointment).where(Appointment.slot == "09:00")).all()) == 1


def _book(citizen: CurrentUser, office_id: int, slot: str) -> None:
    with write_scope() as session:
        appts.book(session, citizen, office_id, MONDAY, slot, now=NOW)


def test_sign_ins_while_the_audit_trail_grows_keep_one_chain(db_url):
    def sign_in(i):
        with write_scope() as session:
            accounts.sign_in(session, "chungthuc", "demo1234", client_addr=f"10.0.0.{i}")

    def grow(i):
        for n in range(15):
            with write_scope() as session:
                audit.record(session, Actor(None, f"worker {i}"), "test_event", summary=f"{i}/{n}")
                session.commit()

    errors = race([sign_in] * 4 + [grow] * 8, [(i,) for i in range(12)])
    assert errors == []
    with session_scope() as session:
        assert audit.verify_chain(session) is None, "the audit chain forked"
        events = session.exec(select(AuditEvent)).all()
    assert len({e.prev_hash for e in events}) == len(events), "two events follow the same event"
    assert (
        sum(e.action == "sign_in" for e in events) == 4
        and sum(e.action == "test_event" for e in events) == 120
    )


def _second_office() -> int:
    """A second office with its own officials ("b" + the demo usernames), holding the same rights."""
    with write_scope() as session:
        first = session.exec(select(Office)).first()
        unit = Unit(code="CQ-02", name="UBND xã Thứ Hai", name_folded=fold("UBND xã Thứ Hai"), kind="office")
        session.add(unit)
        session.flush()
        office = Office(
            unit_id=unit.id, name="UBND xã Thứ Hai", signing_config={"kind": "demo", "key_id": "office-2"}
        )
        session.add(office)
        session.flush()
        for account in session.exec(select(Account).where(Account.kind == "official")).all():
            rights = [
                g.right
                for g in session.exec(
                    select(RightGrant).where(
                        RightGrant.account_id == account.id, RightGrant.office_id == first.id
                    )
                )
            ]
            twin = Account(
                kind="official",
                username="b" + account.username,
                full_name=account.full_name + " B",
                office_id=office.id,
                name_folded=fold(account.full_name),
                unit_id=unit.id,
                title=account.title,
                signing_config={"kind": "demo", "key_id": "leader-b"} if account.signing_config else {},
            )
            session.add(twin)
            session.flush()
            session.add_all([RightGrant(account_id=twin.id, office_id=office.id, right=r) for r in rights])
        session.commit()
        return office.id


def test_seals_in_two_offices_at_once_number_each_register_on_its_own(db_url):
    second = _second_office()
    with session_scope() as session:
        first = session.exec(select(Office.id).where(Office.id != second)).first()
    per_office = {first: [signed_dossier_ready(pages=1, email=None) for _ in range(4)],
                  second: [signed_dossier_ready(pages=1, email=None, staff_prefix="b") for _ in range(4)]}
    prefix = {first: "", second: "b"}
    for office_id, ids in per_office.items():
        for dossier_id in ids:
            service.sign(UNITS, user_named(prefix[office_id] + "lanhdao"), dossier_id)
    work = [(prefix[office_id], dossier_id) for office_id, ids in per_office.items() for dossier_id in ids]
    errors = race([lambda p, d: service.seal(UNITS, user_named(p + "vanthu"), d)] * len(work), work)
    assert errors == []
    with session_scope() as session:
        for office_id, ids in per_office.items():
            entries = session.exec(select(RegisterEntry).where(RegisterEntry.office_id == office_id)
                                   .order_by(RegisterEntry.number)).all()
            assert [e.number for e in entries] == [1, 2, 3, 4], office_id
            assert sorted(e.dossier_id for e in entries) == sorted(ids)


def _draft_with_one_original() -> int:
    clerk = user_named("chungthuc")
    with write_scope() as session:
        dossier = dossiers.open_dossier(session, clerk, dossiers.RequesterData(name="Nguyễn Văn An"))
    with write_scope() as session:
        dossiers.save_original(session, clerk, dossier.id, dossiers.OriginalData(
            title="Giấy khai sinh", issuer="UBND phường Hoàn Kiếm", pages=1,
            checks=["not_altered", "legible", "not_secret", "lawful_content"]))
    return dossier.id


def test_paying_and_refusing_one_dossier_at_once_never_collects_after_the_refusal(db_url):
    clerk, cashier = user_named("chungthuc"), user_named("motcua")
    ground = next(iter(refusal.REFUSAL_GROUNDS))
    ids = [_draft_with_one_original() for _ in range(8)]

    def pay(dossier_id):
        with write_scope() as session:
            payments.record_payment(
                session,
                cashier,
                dossier_id,
                "cash",
                dossiers.dossier_fee(session, dossier_id),
                f"BL-R{dossier_id}",
            )

    def refuse(dossier_id):
        with write_scope() as session:
            dossiers.refuse(session, clerk, dossier_id, [ground], "Bản chính bị tẩy xóa.")

    for dossier_id in ids:
        errors = race([pay, refuse], [(dossier_id,), (dossier_id,)])
        assert all(isinstance(e, WorkflowError) for e in errors), errors
    with session_scope() as session:
        for dossier_id in ids:
            actions = [
                e.action
                for e in session.exec(
                    select(AuditEvent)
                    .where(
                        AuditEvent.target_type == "dossier",
                        AuditEvent.target_id == str(dossier_id),
                        AuditEvent.action.in_(["record_payment", "refuse"]),
                    )
                    .order_by(AuditEvent.id)
                )
            ]
            assert actions in (["refuse"], ["record_payment", "refuse"]), (dossier_id, actions)
