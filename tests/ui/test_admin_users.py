"""Quản lý người dùng through the User fixture (SPEC A2, A3; issue 3 items 1, 2, 8)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from nicegui.testing import User
from sqlmodel import select

from app.db import session_scope, write_scope
from domain.clock import utcnow
from domain.models import Account, AuditEvent, SmsMessage
from tests.ui.admin_support import account, set_input, sign_in, unit

OFFICE_A = 1  # the demo office


@pytest.mark.parametrize("query", ["le thi mot", "LÊ THỊ MỘT", "0912 345 678", "+84912345678", "0912.345.678",
                                   "001190000102"])
async def test_search_by_name_phone_or_id_number(user: User, query):
    await sign_in(user)
    await user.open("/admin/users")
    set_input(user, "user-search", query)
    user.find(marker="search").click()
    await user.should_see("Lê Thị Một (motcua)")
    await user.should_not_see("Trần Văn Chứng (chungthuc)")
    await user.should_see("Trang 1/1 — 1 kết quả", retries=100)


async def test_results_are_paged_on_the_server(user: User):
    await sign_in(user)
    with write_scope() as s:
        for i in range(25):
            s.add(Account(username=f"cb{i:02d}", full_name=f"Cán Bộ {i:02d}", name_folded=f"can bo {i:02d}",
                          office_id=OFFICE_A))
        s.commit()
    await user.open("/admin/users?q=can bo")
    await user.should_see("Trang 1/2 — 25 kết quả", retries=100)
    await user.should_see("Cán Bộ 00 (cb00)")
    user.find(marker="pager-next").click()
    await user.should_see("Trang 2/2 — 25 kết quả", retries=100)
    await user.should_see("Cán Bộ 24 (cb24)")
    await user.should_not_see("Cán Bộ 00 (cb00)")


async def test_not_activated_accounts_need_the_status_switch_and_not_found_says_so(user: User):
    await sign_in(user)
    with write_scope() as s:
        s.add(Account(username="moi", full_name="Đỗ Thị Mới", name_folded="do thi moi", status="pending",
                      office_id=OFFICE_A))
        s.commit()
    await user.open("/admin/users?q=do thi moi")
    await user.should_see(marker="not-found", retries=100)
    await user.should_see("hãy chọn trạng thái «Chưa kích hoạt»", retries=100)
    user.find(marker="status-filter").click()
    user.find("Chưa kích hoạt").click()
    await user.should_see("Đỗ Thị Mới (moi)")


async def test_locked_filter_and_unlock(user: User):
    await sign_in(user)
    with write_scope() as s:
        target = s.exec(select(Account).where(Account.username == "vanthu")).one()
        target.locked_until, target.failed_logins = utcnow() + timedelta(minutes=10), 2
        s.commit()
    await user.open("/admin/users?status=locked")
    await user.should_see("Hoàng Văn Thư (vanthu)")
    await user.should_not_see("Lê Thị Một (motcua)")
    await user.open(f"/admin/users/{account('vanthu').id}")
    await user.should_see("Đang bị khóa", retries=100)
    user.find(marker="unlock").click()
    await user.should_see("Đã mở khóa tài khoản.", retries=100)
    assert account("vanthu").locked_until is None and account("vanthu").failed_logins == 0


async def test_add_official_sends_the_password_by_sms(user: User):
    await sign_in(user)
    await user.open("/admin/users/new")
    set_input(user, "f-username", "tuphap")
    set_input(user, "f-full-name", "Vũ Thị Tư Pháp")
    set_input(user, "f-id-number", "001190009999")
    set_input(user, "f-phone", "0912 111 222")
    set_input(user, "unit-search", "van phong")
    user.find(marker="unit-search-go").click()
    user.find(marker="unit-option-HK-VP").click()
    await user.should_see("Đơn vị đã chọn: HK-VP — Văn phòng HĐND và UBND phường Hoàn Kiếm", retries=100)
    user.find(marker="save-official").click()
    await user.should_see("Vũ Thị Tư Pháp (tuphap)", retries=100)
    created = account("tuphap")
    assert (created.status, created.phone, created.unit_id, created.must_change_password) == \
        ("active", "0912111222", unit("HK-VP").id, True)
    with session_scope() as s:
        sms = s.exec(select(SmsMessage)).one()
        assert (sms.phone, sms.status, sms.purpose) == ("0912111222", "queued", "official_password")
        assert "tuphap" in sms.body


async def test_add_official_left_pending_then_activated(user: User):
    await sign_in(user)
    await user.open("/admin/users/new")
    set_input(user, "f-username", "cho")
    set_input(user, "f-full-name", "Người Chờ")
    set_input(user, "f-id-number", "001190008888")
    set_input(user, "f-phone", "0912111333")
    user.find(marker="initial").elements.pop().value = "pending"
    user.find(marker="save-official").click()
    await user.should_see(marker="activate", retries=100)
    assert account("cho").status == "pending" and account("cho").password_hash is None
    user.find(marker="activate").click()
    await user.should_see("Đã kích hoạt; mật khẩu đã được gửi qua SMS.", retries=100)
    assert account("cho").status == "active"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("f-username", "motcua", "Tên đăng nhập «motcua» đã được dùng cho một tài khoản khác."),
        (
            "f-id-number",
            "001190000102",
            "Số định danh cá nhân 001190000102 đã có tài khoản (Lê Thị Một — motcua).",
        ),
        (
            "f-phone",
            "0912.345.678",
            "Số điện thoại 0912345678 đã được dùng cho tài khoản Lê Thị Một — motcua.",
        ),
    ],
)
async def test_duplicates_are_refused_with_a_clear_message(user: User, field, value, message):
    await sign_in(user)
    await user.open("/admin/users/new")
    values = {
        "f-username": "moi",
        "f-full-name": "Người Mới",
        "f-id-number": "001190007777",
        "f-phone": "0912111444",
    }
    values[field] = value
    for marker, text in values.items():
        set_input(user, marker, text)
    user.find(marker="save-official").click()
    await user.should_see(message, retries=100)
    with session_scope() as s:
        assert s.exec(select(Account).where(Account.full_name == "Người Mới")).first() is None


async def test_edit_deactivate_reactivate_and_reset_password(user: User):
    await sign_in(user)
    await user.open(f"/admin/users/{account('chungthuc').id}")
    set_input(user, "f-email", "chung@xa.gov.vn")
    user.find(marker="save-official").click()
    await user.should_see("Đã lưu thông tin tài khoản.", retries=100)
    assert account("chungthuc").email == "chung@xa.gov.vn"
    user.find(marker="deactivate").click()
    await user.should_see("Đã vô hiệu hóa", retries=100)
    assert account("chungthuc").status == "disabled"
    await user.should_see(marker="reactivate", retries=100)
    user.find(marker="reactivate").click()
    await user.should_see("Đã kích hoạt lại tài khoản.", retries=100)
    await user.should_see(marker="reset-password", retries=100)
    user.find(marker="reset-password").click()
    await user.should_see("Đã cấp lại mật khẩu; mật khẩu mới đã được gửi qua SMS.", retries=100)
    assert account("chungthuc").must_change_password
    with session_scope() as s:
        actions = [e.action for e in s.exec(select(AuditEvent).order_by(AuditEvent.id))][-4:]
        assert actions == ["update_official", "deactivate_official", "reactivate_official", "reset_password"]


async def test_an_official_without_administer_gets_no_admin_page(user: User):
    await sign_in(user, "chungthuc")
    for path in ["/admin/users", "/admin/users/new", f"/admin/users/{account('motcua').id}", "/admin/units",
                 "/admin/office", "/admin/audit"]:
        await user.open(path)
        await user.should_see("Bạn không có quyền truy cập trang này", retries=100)
        await user.should_not_see(marker="save-official")


async def test_an_action_on_an_open_page_is_refused_once_the_right_is_gone(user: User):
    await sign_in(user)
    await user.open(f"/admin/users/{account('chungthuc').id}")
    await user.should_see(marker="deactivate", retries=100)
    with write_scope() as s:
        from domain.models import RightGrant
        for grant in s.exec(select(RightGrant).where(RightGrant.right == "administer")):
            s.delete(grant)
        s.commit()
    user.find(marker="deactivate").click()
    await user.should_see("Bạn không còn quyền thực hiện thao tác này", retries=100)
    await user.should_see("Trang chủ", retries=100)  # sent home
    assert account("chungthuc").status == "active"
