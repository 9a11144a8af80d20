"""Administration use cases on the seeded demo office, on SQLite and PostgreSQL (SPEC A1–A5, A13, C8)."""
from __future__ import annotations

import json
import unicodedata
from dataclasses import replace
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from app.audit_export import audit_xlsx
from app.db import session_scope, write_scope
from domain import administration as adm
from domain.access import AccessDenied, load_current_user
from domain.audit import actor_of, verify_chain
from domain.clock import utcnow
from domain.models import Account, AuditEvent, Office, RightGrant, SmsMessage, Unit
from domain.rights import Right
from tests.support.sms import sms_text


def who(username: str):
    with session_scope() as s:
        account = s.exec(select(Account).where(Account.username == username)).one()
        user = replace(load_current_user(s, account), client_addr="127.0.0.1")
        return user, actor_of(user)


def account_id(username: str) -> int:
    with session_scope() as s:
        return s.exec(select(Account.id).where(Account.username == username)).one()


def unit_id(code: str) -> int:
    with session_scope() as s:
        return s.exec(select(Unit.id).where(Unit.code == code)).one()


def rights_of(username: str) -> set[str]:
    with session_scope() as s:
        return set(s.exec(select(RightGrant.right).where(RightGrant.account_id == account_id(username))))


def new_official(**over) -> adm.OfficialInput:
    data = dict(username="nguyenvanan", full_name="Nguyễn Văn An", id_number="001090001234",
                phone="0912 000 111", email="an@example.vn", unit_id=None)
    data.update(over)
    return adm.OfficialInput(**data)


@pytest.fixture
def admin(db_url):
    return who("admin")


def test_search_ignores_case_and_diacritics_and_accepts_any_phone_writing(admin):
    user, _ = admin
    with session_scope() as s:
        for query in [
            "le thi mot",
            "LÊ THỊ MỘT",
            "0912 345 678",
            "+84912345678",
            "0912.345.678",
            "001190000102",
        ]:
            page = adm.search_officials(s, user, query)
            assert [r.username for r in page.items] == ["motcua"], query
        assert adm.search_officials(s, user, "", page_size=2).total == 5


def test_not_activated_accounts_are_found_with_the_pending_filter(admin):
    user, actor = admin
    with write_scope() as s:
        adm.create_official(s, user, new_official(), send_password=False)
    with session_scope() as s:
        assert adm.search_officials(s, user, "nguyen van an").total == 0
        pending = adm.search_officials(s, user, "nguyen van an", status="pending")
        assert [r.status_label for r in pending.items] == ["Chưa kích hoạt"]
        assert s.exec(select(Account).where(Account.username == "nguyenvanan")).one().password_hash is None
        assert s.exec(select(SmsMessage)).all() == []


def test_create_official_queues_the_password_sms_and_never_audits_it(admin):
    user, actor = admin
    with write_scope() as s:
        account = adm.create_official(s, user, new_official(unit_id=unit_id("HK-VP")))
    with session_scope() as s:
        account = s.get(Account, account.id)
        assert account.status == "active" and account.must_change_password and account.phone == "0912000111"
        sms = s.exec(select(SmsMessage)).one()
        assert (sms.phone, sms.status, sms.purpose) == ("0912000111", "queued", "official_password")
        password = sms_text(sms).split("mat khau ")[1].split(".")[0]
        from domain.security import verify_password
        assert verify_password(password, account.password_hash)
        assert all(password not in e.summary for e in s.exec(select(AuditEvent)))
        assert verify_chain(s) is None


@pytest.mark.parametrize("over, message", [
    (dict(username="MOTCUA"), "Tên đăng nhập «motcua» đã được dùng"),
    (dict(id_number="001190000102"), "Số định danh cá nhân 001190000102 đã có tài khoản"),
    (dict(phone="+84 912 345 678"), "Số điện thoại 0912345678 đã được dùng"),
    (dict(id_number="001099012345"), "tài khoản công dân"),
    (dict(phone="12345"), "Số điện thoại di động không hợp lệ"),
])
def test_duplicates_and_bad_input_are_refused_with_a_clear_message(admin, over, message):
    user, actor = admin
    with write_scope() as s, pytest.raises(adm.AdminError) as err:
        adm.create_official(s, user, new_official(**over))
    assert message in err.value.message
    with session_scope() as s:
        assert (
            s.exec(
                select(Account).where(Account.full_name == "Nguyễn Văn An", Account.kind == "official")
            ).first()
            is None
        )


def test_status_unlock_and_password_reset(admin):
    user, actor = admin
    target = account_id("chungthuc")
    with write_scope() as s:
        s.get(Account, target).locked_until = utcnow() + timedelta(minutes=10)
        s.get(Account, target).failed_logins = 3
        s.commit()
    with session_scope() as s:
        assert [r.username for r in adm.search_officials(s, user, "", status="locked").items] == ["chungthuc"]
    with write_scope() as s:
        adm.unlock(s, user, target)
        adm.set_status(s, user, target, "disabled")
    with session_scope() as s:
        assert [r.username for r in adm.search_officials(s, user, "", status="disabled").items] == [
            "chungthuc"
        ]
        assert s.get(Account, target).locked_until is None and s.get(Account, target).failed_logins == 0
    with write_scope() as s:
        adm.set_status(s, user, target, "active")
        adm.reset_password(s, user, target)
    with session_scope() as s:
        assert s.get(Account, target).must_change_password
        assert s.exec(select(SmsMessage)).one().phone == "0901000103"
        actions = [e.action for e in s.exec(select(AuditEvent).order_by(AuditEvent.id))][-4:]
        assert actions == ["unlock_official", "deactivate_official", "reactivate_official", "reset_password"]
    with write_scope() as s, pytest.raises(adm.AdminError, match="tự vô hiệu hóa"):
        adm.set_status(s, user, user.account_id, "disabled")


def test_citizen_account_right_only_in_a_one_stop_section(admin):
    user, actor = admin
    target = account_id("chungthuc")
    with write_scope() as s:
        s.get(Account, target).unit_id = None
        s.commit()
    with write_scope() as s, pytest.raises(adm.AdminError, match="^Tài khoản chưa được gán đơn vị"):
        adm.grant_right(s, user, target, Right.CREATE_CITIZEN_ACCOUNT)
    with write_scope() as s:
        adm.update_official(s, user, target, new_official(
            username="chungthuc", full_name="Trần Văn Chứng", id_number="001088000103", phone="0901000103",
            email="", unit_id=unit_id("HK-VP")))
    with write_scope() as s, pytest.raises(adm.AdminError) as err:
        adm.grant_right(s, user, target, Right.CREATE_CITIZEN_ACCOUNT)
    assert err.value.message.startswith(
        "Đơn vị «Văn phòng HĐND và UBND phường Hoàn Kiếm» không phải Bộ phận Một cửa: "
        "tên đơn vị phải chứa «Bộ phận Một cửa»"
    )
    with write_scope() as s:
        adm.update_official(s, user, target, new_official(
            username="chungthuc", full_name="Trần Văn Chứng", id_number="001088000103", phone="0901000103",
            email="", unit_id=unit_id("HK-MOTCUA")))
        assert adm.grant_right(s, user, target, Right.CREATE_CITIZEN_ACCOUNT) is True
    assert Right.CREATE_CITIZEN_ACCOUNT in rights_of("chungthuc")


@pytest.mark.parametrize("name, one_stop", [
    ("BỘ PHẬN MỘT CỬA UBND PHƯỜNG X", True),
    (unicodedata.normalize("NFD", "Bộ phận Một cửa phường Y"), True),
    ("bộ phận một cửa", True),
    ("Bo phan Mot cua phuong Z", False),
    ("Bộ phận Tiếp nhận và Trả kết quả", False),
])
def test_one_stop_section_is_read_from_the_unit_name(admin, name, one_stop):
    user, actor = admin
    with write_scope() as s:
        unit = adm.create_unit(s, user, adm.UnitInput("X-1", name, "other", None))
        target = account_id("vanthu")
        s.get(Account, target).unit_id = unit.id
        s.commit()
    with write_scope() as s:
        if one_stop:
            adm.grant_right(s, user, target, Right.CREATE_CITIZEN_ACCOUNT)
        else:
            with pytest.raises(adm.AdminError, match="không phải Bộ phận Một cửa"):
                adm.grant_right(s, user, target, Right.CREATE_CITIZEN_ACCOUNT)


def test_moving_a_one_stop_official_away_withdraws_the_citizen_account_right(admin):
    user, actor = admin
    target = account_id("motcua")
    with write_scope() as s:
        notes = adm.update_official(s, user, target, new_official(
            username="motcua", full_name="Lê Thị Một", id_number="001190000102", phone="0912345678",
            unit_id=unit_id("HK-VP")))
    assert notes and "Quyền tạo tài khoản cho công dân" in notes[0]
    assert rights_of("motcua") == {Right.COLLECT_FEE}


def test_only_existing_official_accounts_get_rights_and_set_rights_is_all_or_nothing(admin):
    user, actor = admin
    with write_scope() as s, pytest.raises(adm.AdminError, match="Tài khoản không tồn tại"):
        adm.grant_right(s, user, 99999, Right.CREATE_COPY)
    with write_scope() as s, pytest.raises(adm.AdminError, match="tài khoản công dân"):
        adm.grant_right(s, user, account_id("001099012345"), Right.CREATE_COPY)
    with write_scope() as s, pytest.raises(adm.AdminError):
        adm.set_rights(
            s, user, account_id("vanthu"), {Right.CREATE_COPY, Right.CREATE_CITIZEN_ACCOUNT}
        )
    assert rights_of("vanthu") == {Right.SEAL_COPY}
    with write_scope() as s:
        granted, revoked = adm.set_rights(
            s, user, account_id("vanthu"), {Right.CREATE_COPY, Right.COLLECT_FEE}
        )
    assert (set(granted), revoked) == ({Right.CREATE_COPY, Right.COLLECT_FEE}, [Right.SEAL_COPY])
    with write_scope() as s, pytest.raises(adm.AdminError, match="tự thu hồi"):
        adm.revoke_right(s, user, user.account_id, Right.ADMINISTER)


def test_office_gaps_list_issuing_rights_without_an_active_holder(admin):
    user, actor = admin
    with session_scope() as s:
        assert adm.office_right_gaps(s, user.office_id) == []
    with write_scope() as s:
        adm.set_status(s, user, account_id("vanthu"), "disabled")
        adm.revoke_right(s, user, account_id("lanhdao"), Right.SIGN_COPY)
    with session_scope() as s:
        assert adm.office_right_gaps(s, user.office_id) == [Right.SIGN_COPY, Right.SEAL_COPY]


def test_officials_without_administer_are_refused_everywhere(admin):
    user, actor = who("chungthuc")
    with write_scope() as s:
        for call in [lambda: adm.search_officials(s, user), lambda: adm.search_units(s, user),
                     lambda: adm.grant_right(s, user, user.account_id, Right.ADMINISTER),
                     lambda: adm.office_settings(s, user)]:
            with pytest.raises(AccessDenied):
                call()


def test_a_stale_admin_session_is_refused_once_the_right_is_gone(admin):
    user, _ = admin
    with write_scope() as s:
        for grant in s.exec(select(RightGrant).where(RightGrant.account_id == user.account_id)):
            s.delete(grant)
        s.commit()
    with session_scope() as s, pytest.raises(AccessDenied):
        adm.search_officials(s, user)


def test_an_admin_of_another_office_cannot_touch_this_one(admin):
    _, actor = admin
    with write_scope() as s:
        unit = Unit(code="B-UBND", name="UBND xã B", name_folded="ubnd xa b", kind="office")
        s.add(unit)
        s.flush()
        office_b = Office(unit_id=unit.id, name="UBND xã B")
        s.add(office_b)
        s.flush()
        boss = Account(username="adminb", full_name="Quản trị B", name_folded="quan tri b", unit_id=unit.id,
                       office_id=office_b.id)
        s.add(boss)
        s.flush()
        s.add(RightGrant(account_id=boss.id, office_id=office_b.id, right=Right.ADMINISTER))
        s.commit()
    user_b, actor_b = who("adminb")
    with write_scope() as s:
        assert adm.search_officials(s, user_b, "le thi mot").total == 0
        with pytest.raises(adm.AdminError, match="không thuộc cơ quan"):
            adm.grant_right(s, user_b, account_id("motcua"), Right.CREATE_COPY)
        assert [r.code for r in adm.search_units(s, user_b).items] == ["B-UBND"]


def test_units_search_create_and_edit(admin):
    user, actor = admin
    with session_scope() as s:
        assert [r.code for r in adm.search_units(s, user, "mot cua").items] == ["HK-MOTCUA"]
        assert [r.code for r in adm.search_units(s, user, "hk-vp").items] == ["HK-VP"]
    with write_scope() as s:
        with pytest.raises(adm.AdminError, match="đã được dùng"):
            adm.create_unit(s, user, adm.UnitInput("hk-vp", "Trùng mã", "other", None))
        with pytest.raises(adm.AdminError, match="phải có tên chứa «Bộ phận Một cửa»"):
            adm.create_unit(s, user, adm.UnitInput("HK-TN", "Tiếp nhận", "one_stop", None))
        unit = adm.create_unit(s, user, adm.UnitInput("HK-TP", "Tổ tư pháp", "other", None))
        assert unit.parent_id == unit_id("HK-UBND")
        with pytest.raises(adm.AdminError, match="cấp dưới"):
            adm.update_unit(
                s, user, unit_id("HK-VP"), adm.UnitInput("HK-VP", "VP", "other", unit_id("HK-VP"))
            )
        notes = adm.update_unit(s, user, unit_id("HK-MOTCUA"),
                                adm.UnitInput("HK-MOTCUA", "Tổ tiếp nhận", "other", unit_id("HK-UBND")))
    assert any("motcua" in n for n in notes)
    assert Right.CREATE_CITIZEN_ACCOUNT not in rights_of("motcua")


def test_office_settings_are_validated_saved_and_audited_without_secrets(admin, tmp_path, monkeypatch):
    """A PKCS#11 token is chosen from the operator's list for this office (PKCS11_TOKENS), never by path."""
    user, actor = admin
    tokens = tmp_path / "tokens.json"
    tokens.write_text(json.dumps([{"name": "hk-seal", "office": "HK-UBND", "module": "/x/libsofthsm2.so",
                                   "token_label": "CoQuan", "key_label": "office", "pin_file": "/x/pin"},
                                  {"name": "other-seal", "office": "BK-UBND", "module": "/x/lib.so",
                                   "token_label": "Other", "key_label": "office", "pin_file": "/x/pin2"}]))
    monkeypatch.setenv("PKCS11_TOKENS", str(tokens))
    with write_scope() as s:
        settings = adm.office_settings(s, user)
        settings.office_hours = [["08:00", "12:00"], ["11:00", "17:00"]]
        settings.number_format = "{x}/ĐT"
        settings.signing_config = {"kind": "pkcs11", "token": "other-seal"}
        with pytest.raises(adm.AdminError) as err:
            adm.update_office_settings(s, user, settings)
        for part in [
            "không chồng nhau",
            "chỉ được dùng {n}, {year}",
            "thiết bị ký số mà người vận hành máy chủ đã khai báo cho cơ quan này",
        ]:
            assert part in err.value.message
        settings = adm.office_settings(s, user)
        settings.saturday_reception = True
        settings.leader_titles = ["Chủ tịch UBND phường"]
        settings.signing_config = {"kind": "pkcs11", "token": "hk-seal", "pin_file": "/etc/shadow"}
        changed = adm.update_office_settings(s, user, settings)
    assert changed == ["chức danh lãnh đạo", "tiếp nhận thứ Bảy", "chữ ký số của cơ quan"]
    with session_scope() as s:
        office = s.get(Office, user.office_id)
        assert office.saturday_reception and office.signing_config == {"kind": "pkcs11", "token": "hk-seal"}
        event = s.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event.action == "update_office_settings" and "pin" not in event.summary


def test_office_days_add_and_remove(admin):
    user, actor = admin
    with write_scope() as s:
        row = adm.add_office_day(s, user, date(2026, 1, 2), "off", "Nghỉ bù")
        with pytest.raises(adm.AdminError, match="đã có trong danh sách"):
            adm.add_office_day(s, user, date(2026, 1, 2), "work")
        adm.add_office_day(s, user, date(2026, 1, 10), "work")
        assert [d.kind for d in adm.list_office_days(s, user)] == ["off", "work"]
        adm.remove_office_day(s, user, row.id)
        assert [d.day for d in adm.list_office_days(s, user)] == [date(2026, 1, 10)]


def test_audit_search_filters_pages_and_exports(admin):
    user, actor = admin
    with write_scope() as s:
        adm.grant_right(s, user, account_id("vanthu"), Right.CREATE_COPY)
        adm.unlock(s, user, account_id("vanthu"))
    with session_scope() as s:
        page = adm.search_audit(s, user, adm.AuditFilter(action="grant_right"))
        assert (
            page.total == 1
            and "Hoàng Văn Thư" not in page.items[0].summary
            and "vanthu" in page.items[0].summary
        )
        by_target = adm.search_audit(s, user, adm.AuditFilter(target="vanthu"))
        assert {e.action for e in by_target.items} == {"grant_right", "unlock_official"}
        assert adm.search_audit(s, user, adm.AuditFilter(actor="pham quoc")).total == 2
        today = date.today()
        assert adm.search_audit(s, user, adm.AuditFilter(date_to=today - timedelta(days=2))).total == 0
        assert adm.search_audit(s, user, adm.AuditFilter(), page=2, page_size=2).page == 2
    with write_scope() as s:
        events = adm.events_for_export(s, user, adm.AuditFilter(target="vanthu"))
    from io import BytesIO
    sheet = load_workbook(BytesIO(audit_xlsx(events))).active
    assert sheet["A2"].value == "STT" and sheet["D3"].value in ("Mở khóa tài khoản", "Cấp quyền")


def test_the_operator_grants_sealing_by_the_command_line_and_it_is_audited(admin):
    """Issue 34 point 3: an office with a single administrator gets its seal keeper through the operator."""
    from app.cli import main as cli_main

    assert cli_main(["grant-right", "chungthuc", "seal_copy"], serve=lambda: None) == 0
    assert Right.SEAL_COPY in rights_of("chungthuc")
    with session_scope() as s:
        event = s.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "grant_right" and "người vận hành máy chủ" in event.summary
    assert cli_main(["grant-right", "001099012345", "sign_copy"], serve=lambda: None) == 2  # a citizen
