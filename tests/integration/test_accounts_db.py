"""Sign-in, lockout, sessions and the audit chain against a real database (SQLite and PostgreSQL)."""
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from app.db import session_scope, write_scope
from domain import accounts
from domain.audit import verify_chain
from domain.clock import utcnow
from domain.models import Account, AuditEvent


def _sign_in(login, password, addr="10.0.0.1", **kw):
    with write_scope() as session:
        return accounts.sign_in(session, login, password, client_addr=addr, **kw)


def test_demo_official_signs_in_and_gets_a_live_session(db_url):
    result = _sign_in("chungthuc", "demo1234")
    with session_scope() as session:
        account = accounts.session_account(session, result.token)
    assert account is not None and account.username == "chungthuc"


def test_citizen_signs_in_with_id_number_or_phone(db_url):
    assert _sign_in("001099012345", "demo1234").token
    assert _sign_in("0987 654 321", "demo1234").token


def test_wrong_password_and_unknown_user_give_the_same_message(db_url):
    with pytest.raises(accounts.SignInError) as wrong:
        _sign_in("chungthuc", "nope-nope")
    with pytest.raises(accounts.SignInError) as unknown:
        _sign_in("khongtontai", "nope-nope")
    assert wrong.value.message == unknown.value.message == accounts.WRONG_CREDENTIALS


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(db_url):
    for _ in range(4):
        with pytest.raises(accounts.SignInError):
            _sign_in("vanthu", "wrong-pass")
    with pytest.raises(accounts.SignInError) as fifth:
        _sign_in("vanthu", "wrong-pass")
    assert fifth.value.message == accounts.LOCKED
    with pytest.raises(accounts.SignInError) as right_password:
        _sign_in("vanthu", "demo1234")
    assert right_password.value.message == accounts.LOCKED
    later = utcnow() + timedelta(minutes=16)
    assert _sign_in("vanthu", "demo1234", now=later).token


def test_repeated_failures_from_one_address_are_slowed_down(db_url):
    with session_scope() as session:
        assert accounts.address_delay_seconds(session, "10.9.9.9") == 0
    for i in range(7):
        with pytest.raises(accounts.SignInError):
            _sign_in(f"nobody{i}", "wrong-pass", addr="10.9.9.9")
    with session_scope() as session:
        assert accounts.address_delay_seconds(session, "10.9.9.9") > 0
        assert accounts.address_delay_seconds(session, "10.1.1.1") == 0


def test_expired_session_is_not_live_and_is_told_apart(db_url):
    result = _sign_in("admin", "demo1234", session_hours=1)
    later = utcnow() + timedelta(hours=2)
    with session_scope() as session:
        assert accounts.session_account(session, result.token, now=later) is None
        assert accounts.session_state(session, result.token, now=later) == "expired"
        assert accounts.session_state(session, "made-up-token") == "none"


def test_signed_out_session_is_dead(db_url):
    from domain.audit import Actor

    result = _sign_in("admin", "demo1234")
    with write_scope() as session:
        accounts.sign_out(session, result.token, Actor(result.account_id, "admin"))
    with session_scope() as session:
        assert accounts.session_account(session, result.token) is None


def test_password_change_applies_the_rules(db_url):
    from domain.audit import Actor

    with session_scope() as session:
        account = session.exec(select(Account).where(Account.username == "chungthuc")).one()
    actor = Actor(account.id, account.full_name)
    with write_scope() as session, pytest.raises(accounts.SignInError) as short:
        accounts.change_password(session, account.id, "demo1234", "abc", actor)
    assert "8 ký tự" in short.value.message
    with write_scope() as session, pytest.raises(accounts.SignInError):
        accounts.change_password(session, account.id, "demo1234", "chungthuc", actor)
    with write_scope() as session:
        accounts.change_password(session, account.id, "demo1234", "Mat-khau-moi-2026", actor)
    assert _sign_in("chungthuc", "Mat-khau-moi-2026").token


def test_audit_chain_is_whole_then_an_edited_row_is_named(db_url):
    _sign_in("admin", "demo1234")
    _sign_in("motcua", "demo1234")
    with session_scope() as session:
        assert verify_chain(session) is None
        second = session.exec(select(AuditEvent).order_by(AuditEvent.id).offset(1)).first()
    with write_scope() as session:
        session.exec(
            text("UPDATE auditevent SET summary = 'sửa lén' WHERE id = :id").bindparams(id=second.id)
        )
        session.commit()
    with session_scope() as session:
        bad = verify_chain(session)
    assert bad is not None and bad.id == second.id


def test_session_touch_does_not_fail_when_another_writer_commits_meanwhile(demo_db):
    """SQLite: the touch of last_seen_at is a write after a read in one transaction; when another
    connection commits in between, SQLite refuses the upgrade at once ("database is locked") — it was
    the 500 on a page load (/queue/sign, /queue/seal) once per 50-session clicking bench."""
    from sqlalchemy import event

    from app.db import get_engine

    result = _sign_in("lanhdao", "demo1234")
    engine = get_engine()
    fired = []

    def another_writer(conn, _cursor, statement, *_args):
        # Right after the session row was read: another tablet's use case commits a write.
        if not fired and statement.lstrip().upper().startswith("SELECT") and "usersession" in statement:
            fired.append(statement)
            with write_scope() as other:
                other.exec(text("UPDATE account SET full_name = full_name || '.' WHERE username = 'admin'"))
                other.commit()

    later = utcnow() + timedelta(minutes=2)  # past TOUCH_SECONDS: this page load writes last_seen_at
    event.listen(engine, "after_cursor_execute", another_writer)
    try:
        with session_scope() as session:
            account = accounts.session_account(session, result.token, now=later)
    finally:
        event.remove(engine, "after_cursor_execute", another_writer)
    assert fired
    assert account is not None and account.username == "lanhdao"
    with session_scope() as session:  # no writer in the way: the next page load touches it
        assert accounts.session_account(session, result.token, now=later) is not None
        row = session.exec(select(accounts.UserSession)
                           .where(accounts.UserSession.token_hash == accounts.token_hash(result.token))).one()
        assert row.last_seen_at == later
