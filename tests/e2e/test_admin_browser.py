"""A new administrator in a real browser (SPEC A2–A5, A13): find the one-stop official by a phone number
written with spaces, move them to another unit, try to give the citizen-account right there (refused,
with the reason), then give it in the one-stop section (accepted). Screenshots at 1024×768."""
from __future__ import annotations

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlmodel import select

from domain.models import Account, RightGrant, Unit
from domain.rights import Right
from tests.e2e.conftest import (
    field,
    has_horizontal_scroll,
    login,
    screenshot,
    set_viewport,
    wait_for,
    wait_for_text,
)

pytestmark = pytest.mark.e2e

REFUSAL = ("Đơn vị «Văn phòng HĐND và UBND phường Hoàn Kiếm» không phải Bộ phận Một cửa: "
           "tên đơn vị phải chứa «Bộ phận Một cửa».")


def press(browser, testid: str) -> None:
    """Scroll the element to the middle (the fixed header must not cover it), then click it;
    again if the page redrew it meanwhile."""
    for attempt in range(3):
        try:
            element = wait_for(browser, f'[data-testid="{testid}"]')
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
            element.click()
            return
        except StaleElementReferenceException:
            if attempt == 2:
                raise


def retype(browser, testid: str, text: str) -> None:
    box = field(browser, testid)
    box.clear()
    box.send_keys(text)


def move_to_unit(browser, query: str, code: str, one_stop: bool) -> None:
    retype(browser, "unit-search", query)
    press(browser, "unit-search-go")
    press(browser, f"unit-option-{code}")
    wait_for_text(browser, f"Đơn vị đã chọn: {code}")
    press(browser, "save-official")
    wait_for_text(browser, "Đã lưu thông tin tài khoản.")
    # The page is redrawn with the new unit: the A13 hint under the citizen-account right shows
    # exactly while the unit is not a one-stop section.
    hint = f'[data-testid="hint-{Right.CREATE_CITIZEN_ACCOUNT}"]'
    WebDriverWait(browser, 15).until(lambda d: bool(d.find_elements(By.CSS_SELECTOR, hint)) != one_stop)


def citizen_right_of(live_server) -> bool:
    with live_server.db() as s:
        motcua = s.exec(select(Account).where(Account.username == "motcua")).one()
        return (
            s.exec(
                select(RightGrant).where(
                    RightGrant.account_id == motcua.id, RightGrant.right == Right.CREATE_CITIZEN_ACCOUNT
                )
            ).first()
            is not None
        )


def test_admin_moves_motcua_and_grants_the_citizen_account_right_only_in_the_one_stop_section(
    live_server, browser
):
    base = live_server.url
    set_viewport(browser, 1024, 768)
    login(browser, base, "admin")

    browser.get(base + "/admin/users")
    retype(browser, "user-search", "0912 345 678")
    press(browser, "search")
    wait_for_text(browser, "Trang 1/1 — 1 kết quả")
    assert "Lê Thị Một (motcua)" in browser.find_element(By.TAG_NAME, "body").text
    assert not has_horizontal_scroll(browser)
    screenshot(browser, "admin_1_search_by_phone")

    press(browser, "open-motcua")
    wait_for(browser, '[data-testid="save-rights"]')
    move_to_unit(browser, "HK-VP", "HK-VP", one_stop=False)
    wait_for_text(browser, "Đã thu hồi Quyền tạo tài khoản cho công dân")
    with live_server.db() as s:
        motcua = s.exec(select(Account).where(Account.username == "motcua")).one()
        assert s.get(Unit, motcua.unit_id).code == "HK-VP"
    screenshot(browser, "admin_2_moved_to_hk_vp")

    press(browser, f"right-{Right.CREATE_CITIZEN_ACCOUNT}")
    press(browser, "save-rights")
    wait_for(browser, '[data-testid="rights-error"]')
    wait_for_text(browser, REFUSAL)
    assert not citizen_right_of(live_server)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});",
                           browser.find_element(By.CSS_SELECTOR, '[data-testid="rights-error"]'))
    screenshot(browser, "admin_3_right_refused")

    move_to_unit(browser, "Một cửa", "HK-MOTCUA", one_stop=True)
    press(browser, f"right-{Right.CREATE_CITIZEN_ACCOUNT}")
    press(browser, "save-rights")
    wait_for_text(browser, "Đã lưu quyền.")
    assert citizen_right_of(live_server)
    assert not has_horizontal_scroll(browser)
    screenshot(browser, "admin_4_right_granted")


def test_an_official_without_administer_is_refused_the_admin_pages(live_server, browser):
    set_viewport(browser, 1024, 768)
    login(browser, live_server.url, "chungthuc")
    browser.get(live_server.url + "/admin/users")
    wait_for_text(browser, "Bạn không có quyền truy cập trang này")
    assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="user-search"]')


@pytest.mark.parametrize("path, name", [("/admin/units", "units"), ("/admin/office", "office"),
                                        ("/admin/audit", "audit"), ("/admin/users/new", "new_official")])
def test_admin_pages_fit_a_portrait_tablet(live_server, browser, path, name):
    set_viewport(browser, 768, 1024)
    login(browser, live_server.url, "admin")
    browser.get(live_server.url + path)
    wait_for(browser, '[data-testid="user-name"]')
    wait_for_text(browser, "Phạm Quốc Quản")
    assert not has_horizontal_scroll(browser)
    screenshot(browser, f"admin_tablet_{name}")
