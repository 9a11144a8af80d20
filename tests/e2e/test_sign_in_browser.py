"""Each demo account signs in in a real browser, at tablet sizes, and sees its own menu."""
import pytest
from selenium.webdriver.common.by import By

from tests.e2e.conftest import click, has_horizontal_scroll, login, screenshot, set_viewport, wait_for_text

ACCOUNTS = {
    "admin": "Quản lý người dùng",
    "motcua": "Tạo tài khoản công dân",
    "chungthuc": "Tiếp nhận hồ sơ",
    "lanhdao": "Chờ ký (lãnh đạo)",
    "vanthu": "Đóng dấu, cấp số",
    "001099012345": "Thông tin tài khoản",
}


@pytest.mark.parametrize("width,height", [(1024, 768), (768, 1024)])
def test_each_demo_account_signs_in_on_a_tablet(live_server, browser, width, height):
    set_viewport(browser, width, height)
    for username, expected in ACCOUNTS.items():
        login(browser, live_server.url, username)
        wait_for_text(browser, expected)
        assert not has_horizontal_scroll(browser), f"{username} page scrolls sideways at {width}×{height}"
        screenshot(browser, f"signin-{username}-{width}x{height}")
    browser.get(live_server.url + "/logout")  # the page only asks: a link signs no one out
    click(browser, "sign-out")
    wait_for_text(browser, "Tên đăng nhập, số định danh hoặc số điện thoại")


def test_login_page_is_vietnamese_and_lists_demo_accounts(live_server, browser):
    set_viewport(browser, 768, 1024)
    browser.delete_all_cookies()
    browser.get(live_server.url + "/login")
    wait_for_text(browser, "Tài khoản demo (mật khẩu: demo1234)")
    assert "BẢN DEMO" in browser.find_element(By.TAG_NAME, "body").text
    screenshot(browser, "login-768x1024")
