"""Citizen accounts at the one-stop desk (SPEC A6–A13) against the database, on SQLite and PostgreSQL."""
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlmodel import select

from app.db import session_scope, write_scope
from app.files import read_bytes, store_bytes
from app.outbox.sms import deliver_pending_sms
from domain import citizen_accounts as desk
from domain import otp
from domain.access import AccessDenied, load_current_user
from domain.accounts import find_account_for_login, sign_in
from domain.audit import verify_chain
from domain.clock import utcnow
from domain.models import Account, AuditEvent, Office, SmsMessage, StoredFile, Unit
from domain.password_reset import ResetError, request_reset, reset_password
from tests.support.sms import sms_text

NEW_ID = "001201004321"
NEW_PHONE = "0934567890"


@pytest.fixture
def desk_env(db_url):
    with session_scope() as session:
        motcua = session.exec(select(Account).where(Account.username == "motcua")).one()
        office = session.exec(select(Office)).one()
        unit = session.exec(select(Unit).where(Unit.code == "HK-MOTCUA")).one()
        user = replace(load_current_user(session, motcua), client_addr="127.0.0.1")
    return {"user": user, "office_id": office.id,
            "unit_id": unit.id, "official_id": motcua.id}


def make_draft(env, **changes) -> desk.CitizenDraft:
    with write_scope() as session:
        sha = store_bytes(b"%PDF-1.4 fake scan", "application/pdf", session)
        session.commit()
    values = dict(id_number=NEW_ID, full_name="Trần  Thị Bình", date_of_birth=date(2001, 4, 5),
                  phone="+84 934 567 890", one_stop_unit_id=env["unit_id"], id_scan_sha256=sha,
                  email="binh@example.vn", sex="Nữ")
    values.update(changes)
    return desk.CitizenDraft(**values)


def last_sms(purpose: str) -> SmsMessage:
    with session_scope() as session:
        return session.exec(select(SmsMessage).where(SmsMessage.purpose == purpose)
                            .order_by(SmsMessage.id.desc())).first()


def code_in(message: SmsMessage) -> str:
    return next(
        word for word in sms_text(message).replace(".", " ").split() if len(word) == 6 and word.isdigit()
    )


def run(use_case, *args):
    with write_scope() as session:
        return use_case(session, *args)


def test_lookup_refuses_an_existing_id_number_and_audits(desk_env):
    result = run(desk.lookup_id_number, desk_env["user"], "001 099 012 345")
    assert result.exists and "đã có tài khoản" in result.message
    fresh = run(desk.lookup_id_number, desk_env["user"], NEW_ID)
    assert not fresh.exists
    with session_scope() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "citizen_lookup")).all()
    assert len(events) == 2


def test_nine_digit_cmnd_is_only_a_secondary_field(desk_env):
    with pytest.raises(desk.CitizenAccountError) as err:
        run(desk.lookup_id_number, desk_env["user"], "012345678")
    assert "ô «Số CMND cũ»" in err.value.message
    checked = run(
        desk.validate_draft, desk_env["official_id"], make_draft(desk_env, old_id_number="012345678")
    )
    assert checked.old_id_number == "012345678"


def test_official_without_the_right_is_refused(desk_env):
    with session_scope() as session:
        chungthuc = session.exec(select(Account).where(Account.username == "chungthuc")).one()
        official = load_current_user(session, chungthuc)
    with pytest.raises(AccessDenied):
        run(desk.lookup_id_number, official, NEW_ID)


def test_draft_is_normalised_and_every_problem_listed(desk_env):
    checked = run(desk.validate_draft, desk_env["official_id"], make_draft(desk_env))
    assert checked.phone == NEW_PHONE and checked.full_name == "Trần Thị Bình"
    bad = make_draft(desk_env, phone="0123", email="khong-hop-le", full_name="", id_scan_sha256=None,
                     date_of_birth=date.today() + timedelta(days=1))
    with pytest.raises(desk.CitizenAccountError) as err:
        run(desk.validate_draft, desk_env["official_id"], bad)
    for part in ("Số điện thoại", "thư điện tử", "họ và tên", "Ngày sinh", "bản chụp"):
        assert part in err.value.message


def test_phone_already_used_by_another_account_is_refused(desk_env):
    with pytest.raises(desk.CitizenAccountError) as err:
        run(desk.validate_draft, desk_env["official_id"], make_draft(desk_env, phone="0987 654 321"))
    assert "đã gắn với một tài khoản khác" in err.value.message


def test_official_outside_a_one_stop_section_gets_the_a13_message(desk_env):
    with write_scope() as session:
        motcua = session.get(Account, desk_env["official_id"])
        motcua.unit_id = session.exec(select(Unit).where(Unit.code == "HK-VP")).one().id
        session.commit()
    with session_scope() as session:
        assert desk.one_stop_units(session, desk_env["official_id"]) == []
    with pytest.raises(desk.CitizenAccountError) as err:
        run(desk.validate_draft, desk_env["official_id"], make_draft(desk_env))
    assert desk.NO_ONE_STOP_UNIT in err.value.message
    assert "Bộ phận Một cửa" in desk.NO_ONE_STOP_UNIT and "quản trị hệ thống" in desk.NO_ONE_STOP_UNIT


def test_office_leader_sees_child_one_stop_sections(desk_env):
    with session_scope() as session:
        lanhdao = session.exec(select(Account).where(Account.username == "lanhdao")).one()
        names = [u.name for u in desk.one_stop_units(session, lanhdao.id)]
    assert names == ["Bộ phận Một cửa UBND phường Hoàn Kiếm"]


def test_whole_desk_journey_creates_a_citizen_who_must_change_password(desk_env):
    env, draft = desk_env, make_draft(desk_env)
    run(desk.record_request_form, env["user"], draft)
    run(desk.send_account_otp, env["user"], draft, utcnow())
    assert deliver_pending_sms() == 1
    sms = last_sms("otp_create_account")
    assert sms.status == "sent" and sms.phone == NEW_PHONE
    with pytest.raises(otp.OtpError):
        run(desk.create_citizen_account, env["user"], draft, "000000"
            if code_in(sms) != "000000" else "111111", utcnow())
    created = run(desk.create_citizen_account, env["user"], draft, code_in(sms), utcnow())
    deliver_pending_sms()
    password_sms = last_sms("temp_password")
    password = sms_text(password_sms).split("Mat khau tam thoi: ")[1].split()[0]
    with session_scope() as session:
        account = session.get(Account, created.account_id)
        assert (account.kind, account.username, account.must_change_password) == ("citizen", NEW_ID, True)
        assert account.created_by_id == env["official_id"] and account.one_stop_unit_id == env["unit_id"]
        assert session.get(StoredFile, account.id_scan_sha256) is not None
        assert find_account_for_login(session, "0934 567 890").id == account.id
        events = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert verify_chain(session) is None
    assert {"citizen_request_form", "citizen_otp_sent", "citizen_account_created"} <= {
        e.action for e in events
    }
    assert all(code_in(sms) not in e.summary and password not in e.summary for e in events)
    with write_scope() as session:
        signed = sign_in(session, NEW_ID, password, client_addr="127.0.0.1")
    assert signed.must_change_password
    with session_scope() as session:
        rows, total = desk.list_created_accounts(session, env["official_id"], "tran thi")
    assert total == 1 and rows[0].id == created.account_id


def test_duplicate_is_refused_even_with_a_valid_code(desk_env):
    env, draft = desk_env, make_draft(desk_env)
    run(desk.send_account_otp, env["user"], draft, utcnow())
    code = code_in(last_sms("otp_create_account"))
    run(desk.create_citizen_account, env["user"], draft, code, utcnow())
    again = make_draft(desk_env, phone="0934567891")
    with pytest.raises(desk.CitizenAccountError) as err:
        run(desk.create_citizen_account, env["user"], again, code, utcnow())
    assert "đã có tài khoản" in err.value.message


def test_forgot_password_resets_with_the_latest_code(desk_env):
    with write_scope() as session:
        assert request_reset(session, "001099012345", "0911111111", "1.2.3.4", utcnow()) is None  # no match
    with write_scope() as session:
        assert request_reset(session, "001099012345", "0987 654 321", "1.2.3.4", utcnow()) is not None
    code = code_in(last_sms("otp_reset_password"))
    with write_scope() as session, pytest.raises(ResetError) as err:
        reset_password(session, "001099012345", "0987654321", code, "ngan", "1.2.3.4", utcnow())
    assert "ít nhất 8" in err.value.message
    with write_scope() as session:
        reset_password(session, "001099012345", "0987654321", code, "Mat-khau-moi-9", "1.2.3.4", utcnow())
    with write_scope() as session:
        assert sign_in(session, "0987654321", "Mat-khau-moi-9", client_addr="1.2.3.4").account_id
    with write_scope() as session, pytest.raises(ResetError):  # the code was used
        reset_password(session, "001099012345", "0987654321", code, "Khac-nua-99", "1.2.3.4", utcnow())


def test_scan_is_stored_by_content_hash(desk_env, app_env):
    with write_scope() as session:
        sha = store_bytes(b"hello scan", "image/png", session)
        assert store_bytes(b"hello scan", "image/png", session) == sha
        session.commit()
    assert read_bytes(sha) == b"hello scan"
    assert (app_env / "files" / sha[:2] / sha).is_file()
    assert not list((app_env / "files" / sha[:2]).glob(".tmp-*"))


def test_forgot_password_right_after_the_account_is_created_sends_a_code(desk_env):
    """The creation code was used a moment ago: its cooldown must not swallow the citizen's reset request
    while the page says the code was sent (journey defect, issue 17)."""
    env, draft = desk_env, make_draft(desk_env)
    run(desk.send_account_otp, env["user"], draft, utcnow())
    run(desk.create_citizen_account, env["user"], draft,
        code_in(last_sms("otp_create_account")), utcnow())
    with write_scope() as session:
        sent = request_reset(session, NEW_ID, NEW_PHONE, "1.2.3.4", utcnow())
    assert sent is not None and last_sms("otp_reset_password").phone == NEW_PHONE
