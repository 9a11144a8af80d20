"""Rights on the official's page (SPEC A4, A5, A13, C8; issue 3 items 3–5)."""
from __future__ import annotations

import unicodedata

import pytest
from nicegui.testing import User
from sqlmodel import select

from app.db import session_scope, write_scope
from domain.access import load_current_user
from domain.admin_scope import AdminError
from domain.models import Account, AuditEvent, Office, RightGrant, RightRequest, Unit
from domain.right_requests import approve
from domain.rights import Right
from domain.security import hash_password
from domain.text import fold
from tests.ui.admin_support import account, rights_of, set_input, sign_in, text_of, unit

CITIZEN_RIGHT = f"right-{Right.CREATE_CITIZEN_ACCOUNT}"


async def open_official(user: User, username: str) -> None:
    await user.open(f"/admin/users/{account(username).id}")
    await user.should_see(marker="save-rights", retries=100)


async def move_to(user: User, query: str, code: str, one_stop: bool) -> None:
    set_input(user, "unit-search", query)
    user.find(marker="unit-search-go").click()
    user.find(marker=f"unit-option-{code}").click()
    user.find(marker="save-official").click()
    await user.should_see("Đã lưu thông tin tài khoản.", retries=100)
    if one_stop:  # wait for the page to be redrawn with the new unit
        await user.should_not_see(marker=f"hint-{Right.CREATE_CITIZEN_ACCOUNT}", retries=100)
    else:
        await user.should_see(marker=f"hint-{Right.CREATE_CITIZEN_ACCOUNT}", retries=100)


def put_in_new_unit(username: str, name: str) -> None:
    with write_scope() as s:
        parent = s.get(Unit, unit("HK-UBND").id)
        new = Unit(code="X-1", name=name, name_folded=fold(name), kind="other", parent_id=parent.id)
        s.add(new)
        s.flush()
        s.get(Account, account(username).id).unit_id = new.id
        s.commit()


async def tick_citizen_right_and_save(user: User) -> None:
    user.find(marker=CITIZEN_RIGHT).click()
    user.find(marker="save-rights").click()


async def test_moving_to_a_unit_without_the_marker_withdraws_the_right_and_refuses_it_with_the_reason(
    user: User,
):
    await sign_in(user)
    await open_official(user, "motcua")
    await move_to(user, "HK-VP", "HK-VP", one_stop=False)
    await user.should_see("Đã thu hồi Quyền tạo tài khoản cho công dân", retries=100)
    assert Right.CREATE_CITIZEN_ACCOUNT not in rights_of("motcua")
    await tick_citizen_right_and_save(user)
    await user.should_see("Đơn vị «Văn phòng HĐND và UBND phường Hoàn Kiếm» không phải Bộ phận Một cửa: "
                          "tên đơn vị phải chứa «Bộ phận Một cửa».", retries=100)
    assert Right.CREATE_CITIZEN_ACCOUNT not in rights_of("motcua")
    await move_to(user, "mot cua", "HK-MOTCUA", one_stop=True)
    await tick_citizen_right_and_save(user)
    await user.should_see("Đã lưu quyền.", retries=100)
    assert Right.CREATE_CITIZEN_ACCOUNT in rights_of("motcua")


async def test_an_official_without_a_unit_is_told_to_assign_one(user: User):
    with write_scope() as s:
        s.get(Account, account("vanthu").id).unit_id = None
        s.commit()
    await sign_in(user)
    await open_official(user, "vanthu")
    await user.should_see(marker=f"hint-{Right.CREATE_CITIZEN_ACCOUNT}", retries=100)
    await tick_citizen_right_and_save(user)
    await user.should_see(marker="rights-error", retries=100)
    error = await text_of(user, "rights-error")
    assert error.startswith("Tài khoản chưa được gán đơn vị.")
    assert Right.CREATE_CITIZEN_ACCOUNT not in rights_of("vanthu")


@pytest.mark.parametrize("name, accepted", [
    ("BỘ PHẬN MỘT CỬA UBND PHƯỜNG X", True),
    (unicodedata.normalize("NFD", "Bộ phận Một cửa UBND phường X"), True),
    ("Bo phan Mot cua UBND phuong X", False),
])
async def test_one_stop_section_by_name_upper_case_nfd_and_missing_diacritics(user: User, name, accepted):
    put_in_new_unit("vanthu", name)
    await sign_in(user)
    await open_official(user, "vanthu")
    await tick_citizen_right_and_save(user)
    if accepted:
        await user.should_see("Đã lưu quyền.", retries=100)
    else:
        await user.should_see(
            "không phải Bộ phận Một cửa: tên đơn vị phải chứa «Bộ phận Một cửa»", retries=100
        )
    assert (Right.CREATE_CITIZEN_ACCOUNT in rights_of("vanthu")) is accepted


def add_second_admin() -> None:
    with write_scope() as s:
        office = s.exec(select(Office)).first()
        admin2 = Account(kind="official", username="admin2", full_name="Quản Trị Hai",
                         name_folded=fold("Quản Trị Hai"), password_hash=hash_password("demo1234"),
                         unit_id=office.unit_id, office_id=office.id)
        s.add(admin2)
        s.flush()
        s.add(RightGrant(account_id=admin2.id, office_id=office.id, right=Right.ADMINISTER))
        s.commit()


async def test_certification_rights_several_per_person_signing_after_a_second_administrator(
    user: User, create_user
):
    """Issue 34 point 3: one administrator proposes the right to sign; only another one can approve it."""
    add_second_admin()
    await sign_in(user)
    await open_official(user, "chungthuc")
    user.find(marker=f"right-{Right.SIGN_COPY}").click()
    user.find(marker=f"right-{Right.COLLECT_FEE}").click()
    user.find(marker="save-rights").click()
    await user.should_see("Quyền ký/đóng dấu đã được đề nghị, chờ một quản trị viên khác phê duyệt.",
                          retries=100)
    assert rights_of("chungthuc") == {Right.CREATE_COPY, Right.COLLECT_FEE}
    await user.should_see(marker=f"request-{Right.SIGN_COPY}", retries=100)
    await user.should_not_see(marker=f"approve-{Right.SIGN_COPY}")  # not by the one who proposed it

    second = create_user()
    await sign_in(second, "admin2")
    await open_official(second, "chungthuc")
    second.find(marker=f"approve-{Right.SIGN_COPY}").click()
    await second.should_see("Đã phê duyệt và cấp quyền.", retries=100)
    assert rights_of("chungthuc") == {Right.CREATE_COPY, Right.SIGN_COPY, Right.COLLECT_FEE}
    with session_scope() as s:
        actions = [e.action for e in s.exec(select(AuditEvent).order_by(AuditEvent.id))]
    assert "propose_right" in actions and actions[-1] == "grant_right"


@pytest.mark.parametrize("right", [Right.SIGN_COPY, Right.SEAL_COPY])
async def test_an_administrator_cannot_give_themselves_signing_or_sealing(user: User, create_user, right):
    add_second_admin()
    await sign_in(user)
    await open_official(user, "admin")
    user.find(marker=f"right-{right}").click()
    user.find(marker="save-rights").click()
    await user.should_see("Bạn không thể tự cấp", retries=100)
    assert right not in rights_of("admin")
    # nor approve a proposal made for them by another administrator
    second = create_user()
    await sign_in(second, "admin2")
    await open_official(second, "admin")
    second.find(marker=f"right-{right}").click()
    second.find(marker="save-rights").click()
    await second.should_see("chờ một quản trị viên khác phê duyệt", retries=100)
    await open_official(user, "admin")
    await user.should_see(marker=f"request-{right}", retries=100)
    await user.should_not_see(marker=f"approve-{right}")
    with write_scope() as s:
        request = s.exec(select(RightRequest).where(RightRequest.right == right)).one()
        with pytest.raises(AdminError, match="Bạn không thể tự cấp"):
            approve(s, load_current_user(s, s.get(Account, account("admin").id)), request.id)
    assert right not in rights_of("admin")



async def test_the_administrator_cannot_take_away_their_own_administer_right(user: User):
    await sign_in(user)
    await open_official(user, "admin")
    user.find(marker=f"right-{Right.ADMINISTER}").click()
    user.find(marker="save-rights").click()
    await user.should_see("Bạn không thể tự thu hồi quyền quản trị của chính mình.", retries=100)
    assert Right.ADMINISTER in rights_of("admin")


async def test_users_and_office_pages_warn_while_a_certification_step_has_no_holder(user: User):
    await sign_in(user)
    await user.open("/admin/users")
    await user.should_not_see(marker="right-gaps")
    await open_official(user, "vanthu")
    user.find(marker=f"right-{Right.SEAL_COPY}").click()
    user.find(marker="save-rights").click()
    await user.should_see("Đã lưu quyền.", retries=100)
    for path in ["/admin/users", "/admin/office"]:
        await user.open(path)
        await user.should_see(marker="right-gaps", retries=100)
        await user.should_see(
            "Chưa có công chức đang hoạt động nào giữ «Quyền đóng dấu bản sao»", retries=100
        )
