"""Quản lý đơn vị through the User fixture (SPEC A3, A5)."""
from __future__ import annotations

import pytest
from nicegui.testing import User
from sqlmodel import select

from app.db import session_scope
from domain.models import Unit
from domain.rights import Right
from tests.ui.admin_support import rights_of, set_input, sign_in, unit


@pytest.mark.parametrize(
    "query, code",
    [("HK-VP", "HK-VP"), ("hk-motcua", "HK-MOTCUA"), ("mot cua", "HK-MOTCUA"), ("VĂN PHÒNG", "HK-VP")],
)
async def test_search_units_by_code_or_name(user: User, query, code):
    await sign_in(user)
    await user.open("/admin/units")
    set_input(user, "unit-query", query)
    user.find(marker="unit-find").click()
    await user.should_see(marker=f"edit-unit-{code}", retries=100)
    await user.should_see("Trang 1/1 — 1 kết quả", retries=100)


async def test_create_a_one_stop_unit_and_refuse_a_duplicate_code(user: User):
    await sign_in(user)
    await user.open("/admin/units")
    set_input(user, "u-code", "HK-MC2")
    set_input(user, "u-name", "BỘ PHẬN MỘT CỬA UBND PHƯỜNG X")
    await user.should_see("đơn vị là Bộ phận Một cửa", retries=100)
    user.find(marker="u-kind").elements.pop().value = "one_stop"
    user.find(marker="save-unit").click()
    await user.should_see("Đã thêm đơn vị.", retries=100)
    with session_scope() as s:
        created = s.exec(select(Unit).where(Unit.code == "HK-MC2")).one()
        assert (created.kind, created.parent_id, created.name_folded) == \
            ("one_stop", unit("HK-UBND").id, "bo phan mot cua ubnd phuong x")
    await user.should_see(marker="edit-unit-HK-MC2", retries=100)
    set_input(user, "u-code", "hk-vp")
    set_input(user, "u-name", "Trùng mã")
    user.find(marker="save-unit").click()
    await user.should_see("Mã định danh «hk-vp» đã được dùng cho một đơn vị khác.", retries=100)


async def test_a_one_stop_kind_needs_the_marker_in_its_name(user: User):
    await sign_in(user)
    await user.open("/admin/units")
    set_input(user, "u-code", "HK-TN")
    set_input(user, "u-name", "Bo phan Mot cua (khong dau)")
    await user.should_see("Tên không có «Bộ phận Một cửa»", retries=100)
    user.find(marker="u-kind").elements.pop().value = "one_stop"
    user.find(marker="save-unit").click()
    await user.should_see("Đơn vị loại Bộ phận Một cửa phải có tên chứa «Bộ phận Một cửa»", retries=100)


async def test_renaming_the_one_stop_section_withdraws_the_citizen_account_right(user: User):
    await sign_in(user)
    await user.open("/admin/units?q=HK-MOTCUA")
    user.find(marker="edit-unit-HK-MOTCUA").click()
    await user.should_see("Sửa đơn vị HK-MOTCUA", retries=100)
    user.find(marker="u-kind").elements.pop().value = "other"
    set_input(user, "u-name", "Tổ tiếp nhận hồ sơ")
    user.find(marker="save-unit").click()
    await user.should_see("Đã lưu đơn vị.", retries=100)
    await user.should_see("motcua: Đã thu hồi Quyền tạo tài khoản cho công dân", retries=100)
    assert Right.CREATE_CITIZEN_ACCOUNT not in rights_of("motcua")
