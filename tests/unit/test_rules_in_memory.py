"""Rules that read and write rows, run through the in-memory unit of work (tests.fakes) the way the runner
runs them: register numbering and the seal's reservation, office scope, sign-in lockout, refusal, and which
issued copies are due a new time-stamp. The same use cases run on both real engines in tests/integration."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import func, select

from domain import accounts, dossiers
from domain.access import AccessDenied
from domain.copy_files import due_for_renewal, record_renewal
from domain.models import (
    CopyFile,
    Dossier,
    EmailMessage,
    LoginFailure,
    Original,
    RegisterCounter,
    RegisterEntry,
    SmsMessage,
)
from domain.office_scope import check_record
from domain.refusal import FOREIGN_NOT_LEGALISED, UNLAWFUL_CONTENT
from domain.register import ensure_counter
from domain.register import reservation as res
from domain.security import hash_password
from tests.fakes import cheap_hashing, memory_unit_of_work, run
from tests.unit import rows

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # a Monday, 09:00 in Hà Nội


@pytest.fixture
def uow():
    with memory_unit_of_work() as uow, cheap_hashing():
        yield uow


def a_dossier(uow, clerk) -> Dossier:
    dossier = run(uow, dossiers.open_dossier, clerk, dossiers.RequesterData(
        name="Nguyễn Văn An", id_number="001099012345", phone="0987654321", email="an@example.test"),
        received_at=T0)
    run(uow, dossiers.save_original, clerk, dossier.id, dossiers.OriginalData(
        title="Giấy khai sinh", issuer="UBND phường", pages=2,
        checks=["not_altered", "legible", "not_secret", "lawful_content"]))
    return dossier


# --- register numbering and the seal's reservation -------------------------------------------------------

def test_the_years_counter_is_made_once_even_when_asked_twice(uow):
    office = rows.office(uow)
    ensure_counter(uow, office.id, 2026)
    ensure_counter(uow, office.id, 2026)
    ensure_counter(uow, office.id, 2027)
    assert uow.exec(select(func.count()).select_from(RegisterCounter)).one() == 2


def test_a_reservation_keeps_the_numbers_for_its_holder_until_it_ends_or_its_holder_dies(uow):
    office = rows.office(uow)
    counter = res.counter_for_update(uow, office.id, 2026)
    res.reserve(counter, "a", T0)
    with pytest.raises(res.SealBusy):
        res.reserve(counter, "b", T0 + timedelta(seconds=30))
    res.reserve(counter, "b", T0 + timedelta(seconds=30), holder_dead=lambda h: h == "a")  # a was killed
    assert counter.sealing_by == "b"
    res.reserve(counter, "a", T0 + res.LEASE + timedelta(seconds=31))  # b's lease ran out
    with pytest.raises(res.SealLost):
        res.check_held(counter, "b", T0 + res.LEASE + timedelta(seconds=32))


def test_renew_and_release_only_for_the_holder(uow):
    office = rows.office(uow)
    counter = res.counter_for_update(uow, office.id, 2026)
    res.reserve(counter, "a", T0)
    run(uow, lambda s: None)
    assert run(uow, res.renew, counter.id, "a", T0 + timedelta(seconds=60)) is True
    assert run(uow, res.renew, counter.id, "b", T0 + timedelta(seconds=60)) is False
    run(uow, res.release, counter.id, "b")
    assert uow.get(RegisterCounter, counter.id).sealing_by == "a"
    run(uow, res.release, counter.id, "a")
    assert uow.get(RegisterCounter, counter.id).sealing_by is None


# --- office scope -----------------------------------------------------------------------------------------

def test_an_official_acts_only_on_the_records_of_their_office(uow):
    here, there = rows.office(uow, "UBND phường A"), rows.office(uow, "UBND phường B")
    clerk_here = rows.official(uow, here, "create_copy")
    clerk_there = rows.official(uow, there, "create_copy")
    dossier = a_dossier(uow, clerk_there)
    original = uow.exec(select(Original).where(Original.dossier_id == dossier.id)).one()
    check_record(uow, clerk_there, "dossier", dossier.id)
    for kind, record_id in (("dossier", dossier.id), ("original", original.id), ("unit", there.unit_id)):
        with pytest.raises(AccessDenied):
            check_record(uow, clerk_here, kind, record_id)
    check_record(uow, clerk_here, "dossier", 99999)  # missing: the use case says so
    check_record(uow, rows.citizen(uow), "dossier", dossier.id)  # a citizen: the use case checks ownership


# --- sign-in lockout --------------------------------------------------------------------------------------

def test_five_wrong_passwords_lock_this_address_out_and_the_count_survives_each_refusal(uow):
    office = rows.office(uow)
    rows.official(uow, office, username="canbo", password_hash=hash_password("Dung-mat-khau-1"))
    for n in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.SignInError) as refused:
            run(uow, accounts.sign_in, "canbo", "sai", client_addr="10.0.0.1", now=T0 + timedelta(seconds=n))
        assert refused.value.keep  # the runner commits the counted failure before showing the refusal
    assert refused.value.message == accounts.LOCKED
    assert uow.exec(select(func.count()).select_from(LoginFailure)).one() == accounts.MAX_FAILURES
    later = T0 + timedelta(minutes=1)
    with pytest.raises(accounts.SignInError, match="tạm khóa"):
        run(uow, accounts.sign_in, "canbo", "Dung-mat-khau-1", client_addr="10.0.0.1", now=later)
    run(uow, accounts.sign_in, "canbo", "Dung-mat-khau-1", client_addr="10.0.0.2", now=later)  # another desk
    after = T0 + timedelta(minutes=accounts.LOCK_MINUTES + 1)
    run(uow, accounts.sign_in, "canbo", "Dung-mat-khau-1", client_addr="10.0.0.1", now=after)


# --- refusal ----------------------------------------------------------------------------------------------

def test_a_refusal_needs_a_ground_of_article_22_and_an_explanation(uow):
    clerk = rows.official(uow, rows.office(uow), "create_copy")
    dossier = a_dossier(uow, clerk)
    with pytest.raises(dossiers.WorkflowError, match="ít nhất một lý do"):
        run(uow, dossiers.refuse, clerk, dossier.id, ["not_a_ground"], "Bản chính bị rách")
    with pytest.raises(dossiers.WorkflowError, match="giải thích"):
        run(uow, dossiers.refuse, clerk, dossier.id, [UNLAWFUL_CONTENT], "  ")
    stored = []

    def store(_uow, data: bytes, mime: str) -> str:
        stored.append(data)
        return "a" * 64

    refused = run(uow, dossiers.refuse, clerk, dossier.id, [FOREIGN_NOT_LEGALISED, "x"], "Chưa hợp pháp hóa",
                  notice_pdf=b"%PDF-notice", store=store)
    assert refused.state == "refused" and refused.refusal_grounds == [FOREIGN_NOT_LEGALISED]
    # the written notice is stored once and goes to the requester by e-mail, and an SMS of the office
    assert stored == [b"%PDF-notice"] and refused.refusal_notice_sha256 == "a" * 64
    email = uow.exec(select(EmailMessage)).one()
    assert (email.to_addr, email.attachment_sha256) == ("an@example.test", "a" * 64)
    sms = uow.exec(select(SmsMessage)).one()
    assert sms.office_id == refused.office_id and "bi tu choi chung thuc" in sms.body


# --- which issued copies need a new time-stamp ------------------------------------------------------------

def _issued(uow, dossier: Dossier, number: int, ts_ends: datetime | None) -> RegisterEntry:
    original = Original(dossier_id=dossier.id, title=f"Bản {number}", pages=1)
    uow.add(original)
    uow.flush()
    entry = RegisterEntry(office_id=dossier.office_id, year=2026, number=number, number_text=f"{number}/ĐT",
                          book="01", dossier_id=dossier.id, original_id=original.id, issued_at=T0,
                          requester_name="An", document_title=original.title, issuer="", pages=1, fee=2000,
                          signer_name="Lãnh đạo", file_sha256=f"{number:064d}", verify_code=f"CODE{number}")
    uow.add(entry)
    uow.flush()
    uow.add(CopyFile(entry_id=entry.id, seq=0, file_sha256=entry.file_sha256, ts_expires_at=ts_ends))
    uow.flush()
    return entry


def test_renewal_picks_the_newest_file_of_each_copy_ending_before_the_horizon(uow):
    clerk = rows.official(uow, rows.office(uow), "create_copy")
    dossier = a_dossier(uow, clerk)
    soon, late = T0 + timedelta(days=10), T0 + timedelta(days=3000)
    first, second, _untimed = _issued(uow, dossier, 1, soon), _issued(uow, dossier, 2, soon), \
        _issued(uow, dossier, 3, None)
    horizon = T0 + timedelta(days=100)
    assert [f.entry_id for f in due_for_renewal(uow, horizon)] == [first.id, second.id]
    run(uow, record_renewal, first.id, 0, "f" * 64, late, T0)  # renewed: its newest file ends late
    assert [(f.entry_id, f.seq) for f in due_for_renewal(uow, horizon)] == [(second.id, 0)]


# --- the outboxes take back what a stopped process left 'sending' -----------------------------------------

def test_both_outboxes_take_back_only_what_was_left_sending_past_the_grace(uow):
    from domain.outbox import SENDING_GRACE, take_back_interrupted

    long_ago, just_now = T0 - SENDING_GRACE - timedelta(seconds=1), T0 - timedelta(seconds=10)
    for n, at in enumerate((long_ago, just_now)):
        uow.add(SmsMessage(phone=f"091100000{n}", body="x", purpose="x", status="sending", claimed_at=at))
        uow.add(EmailMessage(to_addr=f"{n}@x.test", subject="", body="", status="sending",
                             next_attempt_at=at))
    uow.flush()
    assert uow.exec(take_back_interrupted(SmsMessage, SmsMessage.claimed_at, T0)).rowcount == 1
    assert uow.exec(take_back_interrupted(EmailMessage, EmailMessage.next_attempt_at, T0)).rowcount == 1
    uow.expire_all()
    assert sorted(m.status for m in uow.exec(select(SmsMessage))) == ["retrying", "sending"]
    assert {m.to_addr: m.status for m in uow.exec(select(EmailMessage))} == {"0@x.test": "retrying",
                                                                             "1@x.test": "sending"}
