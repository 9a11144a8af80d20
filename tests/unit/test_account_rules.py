"""Sign-in, lockout and delays (domain/accounts.py) as an official or a citizen meets them, run through the
in-memory unit of work the way the runner runs them (tests.fakes). Sessions and password changes:
test_account_sessions.py. The engines' side (a locked SQLite touch, times read back) stays in
tests/integration/test_accounts_db.py."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import func, select

from domain import accounts
from domain.models import LoginFailure, SmsMessage, UserSession
from domain.security import token_hash
from tests.fakes import cheap_hashing, memory_unit_of_work, run
from tests.unit import rows
from tests.unit.account_rows import (
    NO_IDLE,
    RIGHT,
    T0,
    attempt,
    citizen,
    events,
    fail,
    failures,
    official,
    settle,
)


@pytest.fixture
def uow():
    with memory_unit_of_work() as uow, cheap_hashing():
        yield uow


@pytest.fixture
def office(uow):
    return rows.office(uow)



# --- who is signing in ---------------------------------------------------------------------------------

def test_a_citizen_signs_in_by_id_number_or_any_written_form_of_the_phone(uow):
    person = citizen(uow)
    for login in ("001099012345", " 001099012345 ", "0987654321", "+84 987 654 321", "84987654321"):
        assert accounts.find_account_for_login(uow, login).id == person.id, login
    assert accounts.find_account_for_login(uow, "0987654320") is None
    assert accounts.find_account_for_login(uow, "") is None


def test_an_official_signs_in_by_username_trimmed(uow, office):
    account = official(uow, office)
    assert accounts.find_account_for_login(uow, "  canbo ").id == account.id
    assert accounts.find_account_for_login(uow, "CANBO") is None  # usernames are exact


def test_the_first_account_made_wins_when_two_match(uow, office):
    first = official(uow, office, username="0912345678")
    citizen(uow, phone="0912345678")
    assert accounts.find_account_for_login(uow, "0912345678").id == first.id


def test_the_first_account_made_wins_whichever_field_matched(uow, office):
    first = citizen(uow, phone="0912345678")
    official(uow, office, username="0912345678")
    assert accounts.find_account_for_login(uow, "0912345678").id == first.id


def test_a_login_typed_differently_is_counted_as_the_same_login(uow):
    assert accounts.login_key(" Ai-Do ") == accounts.login_key("ai-do")
    assert accounts.login_key("+84987654321") == accounts.login_key("0987654321")
    assert accounts.login_key("ai-do") != accounts.login_key("ai-khac")
    assert len(accounts.login_key("ai-do")) == 64  # a sha256 in hex: the login itself is not kept
    assert accounts.login_key(None) == accounts.login_key("")


# --- a successful sign-in ------------------------------------------------------------------------------

def test_a_sign_in_opens_a_session_of_twelve_hours_from_that_desk(uow, office):
    account = official(uow, office, failed_logins=3)
    signed = attempt(uow, "canbo", RIGHT, addr="10.0.0.7")
    assert (signed.account_id, signed.must_change_password) == (account.id, False)
    row = uow.exec(select(UserSession)).one()
    assert row.token_hash == token_hash(signed.token)
    assert (row.account_id, row.client_addr, row.created_at, row.last_seen_at, row.ended_at) == (
        account.id, "10.0.0.7", T0, T0, None)
    assert row.expires_at == T0 + timedelta(hours=12)
    assert account.failed_logins == 0 and account.last_login_at == T0
    [event] = events(uow, "sign_in")
    assert (event.actor_id, event.actor_name, event.client_addr) == (
        account.id, account.full_name, "10.0.0.7")
    assert (event.target_type, event.target_id, event.office_id) == ("account", str(account.id), office.id)


def test_the_session_lasts_as_long_as_asked(uow, office):
    official(uow, office)
    signed = run(uow, accounts.sign_in, "canbo", RIGHT, client_addr="10.0.0.7", session_hours=2, now=T0)
    assert uow.exec(select(UserSession)).one().expires_at == T0 + timedelta(hours=2)
    assert accounts.session_account(uow, signed.token, T0 + timedelta(minutes=119), NO_IDLE) is not None
    assert accounts.session_account(uow, signed.token, T0 + timedelta(hours=2), NO_IDLE) is None


def test_a_temporary_password_must_be_changed_and_its_sms_copy_goes(uow):
    person = citizen(uow)
    person.must_change_password = True
    uow.add(SmsMessage(phone=person.phone, body="…", purpose="temp_password", secret_box="sealed"))
    uow.add(SmsMessage(phone="0911111111", body="…", purpose="temp_password", secret_box="sealed"))
    settle(uow)
    assert attempt(uow, "0987654321", RIGHT).must_change_password is True
    boxes = dict(uow.exec(select(SmsMessage.phone, SmsMessage.secret_box)).all())
    assert boxes == {"0987654321": None, "0911111111": "sealed"}  # another person's copy stays


def test_an_ordinary_sign_in_leaves_the_sms_outbox_alone(uow):
    person = citizen(uow)
    uow.add(SmsMessage(phone=person.phone, body="…", purpose="temp_password", secret_box="sealed"))
    settle(uow)
    attempt(uow, "0987654321", RIGHT)
    assert uow.exec(select(SmsMessage.secret_box)).one() == "sealed"


def test_a_disabled_or_pending_account_is_told_so_and_gets_no_session(uow, office):
    official(uow, office, "tat", status="disabled")
    official(uow, office, "cho", status="pending")
    assert attempt(uow, "tat", RIGHT) == accounts.DISABLED
    assert attempt(uow, "cho", RIGHT) == accounts.NOT_ACTIVATED
    assert uow.exec(select(func.count()).select_from(UserSession)).one() == 0
    assert failures(uow) == 0


# --- wrong passwords -----------------------------------------------------------------------------------

def test_a_wrong_password_is_counted_and_audited_against_the_account(uow, office):
    account = official(uow, office)
    assert attempt(uow, " canbo", addr="10.0.0.1") == accounts.WRONG_CREDENTIALS
    assert attempt(uow, "canbo", addr="10.0.0.1", at=T0 + timedelta(seconds=1)) == accounts.WRONG_CREDENTIALS
    failure = uow.exec(select(LoginFailure).order_by(LoginFailure.id)).first()
    assert (failure.client_addr, failure.account_id, failure.at, failure.login_key) == (
        "10.0.0.1", account.id, T0, None)
    assert account.failed_logins == 2
    audited = events(uow, "sign_in_failed")
    assert [e.summary for e in audited] == ["Sai mật khẩu lần 1", "Sai mật khẩu lần 2"]
    first = audited[0]
    assert (first.actor_id, first.actor_name, first.client_addr) == (None, " canbo", "10.0.0.1")
    assert (audited[0].target_type, audited[0].target_id) == ("account", str(account.id))


def test_the_fifth_wrong_password_says_the_address_is_blocked(uow, office):
    official(uow, office)
    answers = [attempt(uow, "canbo", at=T0 + timedelta(seconds=n)) for n in range(5)]
    assert answers == [accounts.WRONG_CREDENTIALS] * 4 + [accounts.LOCKED]
    assert events(uow, "sign_in_failed")[-1].summary == (
        "Sai mật khẩu lần 5; địa chỉ 10.0.0.1 bị chặn đăng nhập tài khoản này 15 phút")
    assert events(uow, "sign_in_failed")[-2].summary == "Sai mật khẩu lần 4"


def test_an_address_unknown_to_the_server_is_named_with_a_question_mark(uow, office):
    official(uow, office)
    for n in range(5):
        attempt(uow, "canbo", addr="", at=T0 + timedelta(seconds=n))
    assert events(uow, "sign_in_failed")[-1].summary.startswith("Sai mật khẩu lần 5; địa chỉ ? bị chặn")


def test_a_very_long_login_is_cut_in_the_audit(uow, office):
    official(uow, office, username="c" * 64)
    attempt(uow, "c" * 64 + "   ")
    assert events(uow, "sign_in_failed")[0].actor_name == "c" * 64


def test_the_count_restarts_after_a_success(uow, office):
    account = official(uow, office)
    attempt(uow, "canbo")
    attempt(uow, "canbo", RIGHT)
    attempt(uow, "canbo")
    assert account.failed_logins == 1
    assert events(uow, "sign_in_failed")[-1].summary == "Sai mật khẩu lần 1"


def test_an_unknown_login_is_counted_by_its_key_and_not_audited(uow):
    assert attempt(uow, "Khong-Co-Ai") == accounts.WRONG_CREDENTIALS
    failure = uow.exec(select(LoginFailure)).one()
    assert (failure.account_id, failure.login_key) == (None, accounts.login_key("khong-co-ai"))
    assert events(uow, "sign_in_failed") == []
    answers = [attempt(uow, login, at=T0 + timedelta(seconds=n)) for n, login in
               enumerate(["khong-co-ai", " KHONG-CO-AI", "khong-co-ai", "Khong-co-ai"])]
    assert answers[-1] == accounts.LOCKED
    assert attempt(uow, "khong-co-ai", addr="10.0.0.2") == accounts.WRONG_CREDENTIALS


def test_failures_older_than_a_day_are_forgotten(uow, office):
    official(uow, office)
    attempt(uow, "canbo", at=T0)
    attempt(uow, "canbo", at=T0 + timedelta(days=1))
    assert failures(uow) == 2  # exactly a day old: kept
    attempt(uow, "canbo", at=T0 + timedelta(days=1, seconds=1))
    assert [f.at for f in uow.exec(select(LoginFailure).order_by(LoginFailure.id))] == [
        T0 + timedelta(days=1), T0 + timedelta(days=1, seconds=1)]


# --- the lockout -----------------------------------------------------------------------------------------


def test_five_failures_within_fifteen_minutes_lock_only_that_address(uow, office):
    account = official(uow, office)
    fail(uow, "canbo", 4)
    assert not accounts.locked_out(uow, account, "10.0.0.1", T0 + timedelta(seconds=10))
    fail(uow, "canbo", 1, start=T0 + timedelta(seconds=4))
    assert accounts.locked_out(uow, account, "10.0.0.1", T0 + timedelta(seconds=10))
    assert not accounts.locked_out(uow, account, "10.0.0.2", T0 + timedelta(seconds=10))
    # the window: the first failure leaves it fifteen minutes after
    assert accounts.locked_out(uow, account, "10.0.0.1", T0 + timedelta(minutes=15))
    assert not accounts.locked_out(uow, account, "10.0.0.1", T0 + timedelta(minutes=15, microseconds=1))
    assert attempt(uow, "canbo", RIGHT, at=T0 + timedelta(minutes=10)) == accounts.LOCKED
    assert not isinstance(attempt(uow, "canbo", RIGHT, addr="10.0.0.2", at=T0 + timedelta(minutes=10)), str)


def test_a_locked_answer_checks_no_password_but_spends_the_same_time(uow, office):
    class Counting:
        def __init__(self):
            self.dummies = 0

        def hash(self, secret):
            return secret

        def verify(self, secret, hashed):
            return secret == hashed

        def dummy_verify(self):
            self.dummies += 1

    from domain import security

    official(uow, office)
    fail(uow, "canbo", 5)
    counting = Counting()
    previous = security.use_hasher(counting)
    try:
        assert attempt(uow, "canbo", RIGHT, at=T0 + timedelta(minutes=1)) == accounts.LOCKED
    finally:
        security.use_hasher(previous)
    assert counting.dummies == 1
    assert failures(uow) == 5  # a refused try while locked out is not counted again


def test_an_unknown_login_locked_out_is_not_counted_again(uow):
    fail(uow, "khong-co-ai", 5)
    for n in range(3):
        assert attempt(uow, "khong-co-ai", at=T0 + timedelta(minutes=1, seconds=n)) == accounts.LOCKED
    assert failures(uow) == 5
    assert accounts.address_delay_seconds(uow, "10.0.0.1", T0 + timedelta(minutes=2)) == 0.5


def test_an_administrators_lock_holds_until_its_time_from_every_address(uow, office):
    account = official(uow, office, locked_until=T0 + timedelta(hours=1))
    assert accounts.locked_out(uow, account, "10.0.0.9", T0 + timedelta(minutes=59))
    assert not accounts.locked_out(uow, account, "10.0.0.9", T0 + timedelta(hours=1))
    uow.expire(account)  # read back from the database
    assert accounts.locked_out(uow, account, "10.0.0.9", T0)
    assert attempt(uow, "canbo", RIGHT, addr="10.0.0.9", at=T0) == accounts.LOCKED


def test_clearing_an_accounts_failures_lets_that_account_in_and_no_other(uow, office):
    first = official(uow, office, "mot")
    official(uow, office, "hai")
    fail(uow, "mot", 5)
    fail(uow, "hai", 5)
    accounts.clear_failures(uow, first.id)
    assert attempt(uow, "mot", RIGHT, at=T0 + timedelta(minutes=1)).account_id == first.id
    assert attempt(uow, "hai", RIGHT, at=T0 + timedelta(minutes=1)) == accounts.LOCKED


def test_a_success_forgets_that_desks_failures_only(uow, office):
    account = official(uow, office)
    fail(uow, "canbo", 4, addr="10.0.0.1")
    fail(uow, "canbo", 4, addr="10.0.0.2")
    attempt(uow, "canbo", RIGHT, addr="10.0.0.1", at=T0 + timedelta(minutes=1))
    fail(uow, "canbo", 1, addr="10.0.0.1", start=T0 + timedelta(minutes=2))
    fail(uow, "canbo", 1, addr="10.0.0.2", start=T0 + timedelta(minutes=2))
    now = T0 + timedelta(minutes=3)
    assert not accounts.locked_out(uow, account, "10.0.0.1", now)
    assert accounts.locked_out(uow, account, "10.0.0.2", now)


# --- the delays ------------------------------------------------------------------------------------------

def test_an_address_that_keeps_failing_waits_half_a_second_more_each_time_up_to_eight(uow):
    now = T0 + timedelta(minutes=1)
    seen = []
    for n in range(21):
        seen.append(accounts.address_delay_seconds(uow, "10.0.0.1", now))
        uow.add(LoginFailure(client_addr="10.0.0.1", at=T0 + timedelta(seconds=n), login_key="k"))
        settle(uow)
    assert seen[:7] == [0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 1.0]
    assert seen[-1] == 8.0  # 20 failures: 0.5 × 16, the cap
    uow.add(LoginFailure(client_addr="10.0.0.1", at=T0, login_key="k"))
    settle(uow)
    assert accounts.address_delay_seconds(uow, "10.0.0.1", now) == 8.0
    assert accounts.address_delay_seconds(uow, "10.0.0.2", now) == 0.0
    # the window is fifteen minutes, counted back from the given time
    assert accounts.address_delay_seconds(uow, "10.0.0.1", T0 + timedelta(minutes=15)) == 8.0
    assert accounts.address_delay_seconds(uow, "10.0.0.1", T0 + timedelta(minutes=15, seconds=16)) == 0.5
    assert accounts.address_delay_seconds(uow, "10.0.0.1", T0 + timedelta(minutes=15, seconds=17)) == 0.0
    assert accounts.address_delay_seconds(uow, "10.0.0.1", T0 + timedelta(minutes=16)) == 0.0


def test_an_account_guessed_at_from_many_addresses_is_slowed_never_locked(uow, office):
    account = official(uow, office)
    now = T0 + timedelta(minutes=1)
    for n in range(9):
        attempt(uow, "canbo", addr=f"198.51.100.{n}", at=T0 + timedelta(seconds=n))
    assert accounts.sign_in_delay_seconds(uow, "canbo", "10.0.0.5", now) == 0.0
    attempt(uow, "canbo", addr="198.51.100.9", at=T0 + timedelta(seconds=9))
    assert accounts.sign_in_delay_seconds(uow, "canbo", "10.0.0.5", now) == 0.5
    attempt(uow, "canbo", addr="198.51.100.10", at=T0 + timedelta(seconds=10))
    assert accounts.sign_in_delay_seconds(uow, "canbo", "10.0.0.5", now) == 1.0
    assert accounts.sign_in_delay_seconds(uow, "+84 canbo", "10.0.0.5", now) == 0.0  # another login
    assert not accounts.locked_out(uow, account, "10.0.0.5", now)
    for n in range(30):
        attempt(uow, "canbo", addr=f"203.0.113.{n}", at=T0 + timedelta(seconds=20 + n))
    assert accounts.sign_in_delay_seconds(uow, "canbo", "10.0.0.5", now) == 8.0
    assert attempt(uow, "canbo", RIGHT, addr="10.0.0.5", at=now).account_id == account.id


def test_the_longer_of_the_two_delays_is_kept(uow, office):
    account = official(uow, office)
    # 12 failures of one address against one account: 4 s for the address, 1.5 s for the account
    uow.add_all([LoginFailure(client_addr="10.0.0.1", account_id=account.id, at=T0) for _ in range(12)])
    settle(uow)
    now = T0 + timedelta(minutes=1)
    assert accounts.sign_in_delay_seconds(uow, "canbo", "10.0.0.1", now) == 4.0
    assert accounts.sign_in_delay_seconds(uow, "canbo", "10.0.0.2", now) == 1.5


def test_an_unknown_login_is_slowed_like_an_account(uow):
    now = T0 + timedelta(minutes=1)
    for n in range(11):
        attempt(uow, "khong-co-ai", addr=f"198.51.100.{n}", at=T0 + timedelta(seconds=n))
    assert accounts.sign_in_delay_seconds(uow, "Khong-Co-Ai ", "10.0.0.5", now) == 1.0
    assert accounts.sign_in_delay_seconds(uow, "ai-khac", "10.0.0.5", now) == 0.0


def test_the_delays_count_from_the_clock_when_no_time_is_given(uow):
    uow.add_all([LoginFailure(client_addr="10.0.0.1", at=T0, login_key="k") for _ in range(12)])
    settle(uow)
    assert accounts.address_delay_seconds(uow, "10.0.0.1") == 0.0  # T0 is months before the process clock
    assert accounts.sign_in_delay_seconds(uow, "x", "10.0.0.1") == 0.0
    assert accounts.sign_in_delay_seconds(uow, "x", "10.0.0.1", T0) == 4.0
