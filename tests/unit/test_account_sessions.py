"""Sessions and password changes (domain/accounts.py): the idle and absolute limits, sign-out, the sessions a
password change keeps or ends; in memory (tests.fakes), as test_account_rules.py."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from domain import accounts
from domain.audit import Actor
from domain.models import UserSession
from domain.security import token_hash
from tests.fakes import cheap_hashing, memory_unit_of_work, run
from tests.unit import rows
from tests.unit.account_rows import (
    NO_IDLE,
    RIGHT,
    T0,
    attempt,
    change,
    citizen,
    events,
    official,
    settle,
    signed_in,
)


@pytest.fixture
def uow():
    with memory_unit_of_work() as uow, cheap_hashing():
        yield uow


@pytest.fixture
def office(uow):
    return rows.office(uow)



# --- sessions --------------------------------------------------------------------------------------------


def test_a_session_ends_after_the_idle_limit_of_its_kind(uow, office):
    official(uow, office)
    citizen(uow)
    clerk, person = signed_in(uow), signed_in(uow, "0987654321")
    limits = {"official": 20, "citizen": 5}
    at = T0 + timedelta(minutes=5)
    assert accounts.session_state(uow, person, at, limits) == "active"
    assert accounts.session_state(uow, person, at + timedelta(microseconds=1), limits) == "expired"
    assert accounts.session_account(uow, person, at + timedelta(seconds=1), limits) is None
    assert accounts.session_state(uow, clerk, T0 + timedelta(minutes=20), limits) == "active"
    assert accounts.session_state(uow, clerk, T0 + timedelta(minutes=21), limits) == "expired"
    short = {"official": 1, "citizen": 1}  # the shortest limit a setting can give
    assert accounts.session_state(uow, clerk, T0 + timedelta(minutes=1), short) == "active"
    assert accounts.session_state(uow, clerk, T0 + timedelta(seconds=61), short) == "expired"


def test_without_settings_the_idle_limit_is_thirty_minutes(uow, office):
    official(uow, office)
    citizen(uow)
    for token in (signed_in(uow), signed_in(uow, "0987654321")):
        assert accounts.session_state(uow, token, T0 + timedelta(minutes=30)) == "active"
        assert accounts.session_state(uow, token, T0 + timedelta(minutes=31)) == "expired"
    person = signed_in(uow, "0987654321")
    # a kind the settings do not name falls back to thirty minutes, not to the officials' setting
    assert accounts.session_state(uow, person, T0 + timedelta(minutes=31), {"official": 60}) == "expired"
    assert accounts.session_state(uow, person, T0 + timedelta(minutes=29), {"official": 1}) == "active"


def test_a_session_with_no_idle_limit_lasts_to_its_end(uow, office):
    official(uow, office)
    token = signed_in(uow)
    assert accounts.session_state(uow, token, T0 + timedelta(hours=11), NO_IDLE) == "active"
    assert accounts.session_state(uow, token, T0 + timedelta(hours=12), NO_IDLE) == "expired"
    assert accounts.session_state(uow, token, T0 + timedelta(hours=12), NO_IDLE) == "expired"


def test_an_unknown_missing_or_ended_session_is_none(uow, office):
    account = official(uow, office)
    token = signed_in(uow)
    assert accounts.session_state(uow, None, T0) == "none"
    assert accounts.session_state(uow, "", T0) == "none"
    assert accounts.session_state(uow, "not-a-token", T0) == "none"
    assert accounts.session_account(uow, None, T0) is None
    run(uow, accounts.sign_out, token, Actor(account.id, account.full_name))
    assert accounts.session_state(uow, token, T0) == "none"
    assert accounts.session_account(uow, token, T0) is None


def test_a_disabled_accounts_session_gives_no_one(uow, office):
    account = official(uow, office)
    token = signed_in(uow)
    account.status = "disabled"
    settle(uow)
    assert accounts.session_state(uow, token, T0) == "active"  # the page says "disabled", not "expired"
    assert accounts.session_account(uow, token, T0) is None


def test_a_session_is_marked_used_at_most_once_a_minute(uow, office):
    account = official(uow, office)
    token = signed_in(uow)
    row = uow.exec(select(UserSession)).one()
    assert accounts.session_account(uow, token, T0 + timedelta(seconds=60)).id == account.id
    assert row.last_seen_at == T0
    assert accounts.session_account(uow, token, T0 + timedelta(seconds=61)).id == account.id
    assert row.last_seen_at == T0 + timedelta(seconds=61)
    # used every few minutes, the session outlives the idle limit counted from its start
    for minutes in (20, 40, 60):
        assert accounts.session_account(uow, token, T0 + timedelta(minutes=minutes)) is not None


def test_the_session_clock_is_the_process_clock_when_no_time_is_given(uow, office):
    official(uow, office)
    token = signed_in(uow)  # at T0, long past by the process clock
    assert accounts.session_state(uow, token) == "expired"
    assert accounts.session_account(uow, token) is None


def test_sign_out_ends_the_session_once_and_audits_it(uow, office):
    account = official(uow, office)
    token = signed_in(uow)
    other = signed_in(uow)
    actor = Actor(account.id, account.full_name, "10.0.0.1")
    run(uow, accounts.sign_out, token, actor)
    run(uow, accounts.sign_out, token, actor)
    run(uow, accounts.sign_out, "not-a-token", actor)
    ended = {r.token_hash: r.ended_at for r in uow.exec(select(UserSession))}
    assert ended[token_hash(token)] is not None and ended[token_hash(other)] is None
    [event] = events(uow, "sign_out")
    assert (event.actor_id, event.client_addr, event.target_type, event.target_id, event.office_id) == (
        account.id, "10.0.0.1", "account", str(account.id), office.id)
    assert accounts.session_state(uow, other, T0) == "active"


def test_a_citizen_signs_out_with_no_office(uow):
    person = citizen(uow)
    token = signed_in(uow, "0987654321")
    run(uow, accounts.sign_out, token, Actor(person.id, person.full_name))
    assert events(uow, "sign_out")[0].office_id is None


def test_end_sessions_ends_all_but_the_kept_one_and_counts_them(uow, office):
    account = official(uow, office)
    other = official(uow, office, "khac")
    mine, second, third = signed_in(uow), signed_in(uow), signed_in(uow)
    theirs = signed_in(uow, "khac")
    run(uow, accounts.sign_out, third, Actor(account.id, ""))
    assert run(uow, accounts.end_sessions, account.id, mine) == 1
    states = [accounts.session_state(uow, t, T0) for t in (mine, second, third, theirs)]
    assert states == ["active", "none", "none", "active"]
    assert run(uow, accounts.end_sessions, account.id) == 1
    assert accounts.session_state(uow, mine, T0) == "none"
    assert run(uow, accounts.end_sessions, other.id, "") == 1


# --- password changes ------------------------------------------------------------------------------------


def test_a_password_change_needs_the_current_password_and_a_new_good_one(uow, office):
    account = official(uow, office, must_change_password=True)
    before = account.password_hash
    assert change(uow, account, "sai", "Moi-mat-khau-9") == "Mật khẩu hiện tại không đúng."
    assert change(uow, account, RIGHT, RIGHT) == "Mật khẩu mới phải khác mật khẩu hiện tại."
    assert change(uow, account, RIGHT, "canbo") == (
        "Mật khẩu phải có ít nhất 8 ký tự. Mật khẩu không được trùng với tên đăng nhập.")
    assert account.password_hash == before and account.must_change_password is True
    assert events(uow, "change_password") == []
    assert change(uow, account, RIGHT, "Moi-mat-khau-9") == "ok"
    assert account.must_change_password is False
    assert attempt(uow, "canbo", "Moi-mat-khau-9").account_id == account.id
    assert attempt(uow, "canbo", RIGHT) == accounts.WRONG_CREDENTIALS


def test_a_citizens_new_password_may_not_be_their_id_number(uow):
    person = citizen(uow, id_number="001099012399")
    person.username = "nguoidan"
    settle(uow)
    assert change(uow, person, RIGHT, "001099012399") == (
        "Mật khẩu không được trùng với số định danh cá nhân (CCCD/CMND).")


def test_a_reset_after_an_otp_skips_the_old_password_and_ends_every_session(uow, office):
    account = official(uow, office)
    first, second = signed_in(uow), signed_in(uow)
    assert change(uow, account, None, RIGHT) == "ok"  # the same as before is allowed: nothing to compare
    assert [accounts.session_state(uow, t, T0) for t in (first, second)] == ["none", "none"]
    [event] = events(uow, "change_password")
    assert event.summary == "Kết thúc 2 phiên đăng nhập khác"
    assert (event.target_type, event.target_id, event.office_id) == ("account", str(account.id), office.id)
    assert event.actor_id == account.id


def test_a_change_keeps_the_session_it_was_made_in(uow, office):
    account = official(uow, office)
    mine, other = signed_in(uow), signed_in(uow)
    assert change(uow, account, RIGHT, "Moi-mat-khau-9", keep=mine) == "ok"
    assert [accounts.session_state(uow, t, T0) for t in (mine, other)] == ["active", "none"]
    assert events(uow, "change_password")[0].summary == "Kết thúc 1 phiên đăng nhập khác"
    mine_only = attempt(uow, "canbo", "Moi-mat-khau-9").token
    accounts.end_sessions(uow, account.id, mine_only)
    assert change(uow, account, "Moi-mat-khau-9", "Moi-mat-khau-8", keep=mine_only) == "ok"
    assert events(uow, "change_password")[1].summary == ""


def test_a_change_for_an_account_that_is_gone_is_refused(uow):
    with pytest.raises(accounts.SignInError) as refused:
        run(uow, accounts.change_password, 999, None, "Moi-mat-khau-9", Actor(None, ""))
    assert refused.value.message == accounts.WRONG_CREDENTIALS
