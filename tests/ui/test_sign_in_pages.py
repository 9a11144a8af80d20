"""Sign-in, sign-out, forced password change and the menu per right, through NiceGUI's User fixture."""
from datetime import timedelta

import pytest
from nicegui.testing import User
from sqlmodel import select

from app.db import write_scope
from domain.models import Account, UserSession


async def sign_in(user: User, login: str, password: str = "demo1234") -> None:
    await user.open("/login")
    user.find(marker="login").type(login)
    user.find(marker="password").type(password)
    user.find(marker="submit").click()
    if password == "demo1234":
        await user.should_see(marker="user-name", retries=100)


async def test_unsigned_visitor_is_sent_to_the_login_page(user: User):
    await user.open("/")
    await user.should_see("Đăng nhập")
    await user.should_see("Tài khoản demo (mật khẩu: demo1234)")


async def sign_out(user: User) -> None:
    """The header's sign-out button (a websocket event: no link signs anyone out)."""
    user.find(marker="logout").click()
    await user.should_see("Tên đăng nhập, số định danh hoặc số điện thoại", retries=100)


async def test_official_signs_in_sees_their_name_and_signs_out(user: User):
    await sign_in(user, "chungthuc")
    await user.should_see("Trần Văn Chứng")
    await sign_out(user)
    await user.open("/")
    await user.should_see("Tên đăng nhập, số định danh hoặc số điện thoại")


async def test_wrong_password_shows_a_vietnamese_message(user: User):
    await sign_in(user, "chungthuc", "sai-mat-khau")
    await user.should_see("Tên đăng nhập hoặc mật khẩu không đúng.", retries=100)


async def test_unknown_user_gets_the_same_message(user: User):
    await sign_in(user, "khongcoai", "sai-mat-khau")
    await user.should_see("Tên đăng nhập hoặc mật khẩu không đúng.", retries=100)


async def test_locked_account_is_told_to_wait(user: User):
    for _ in range(4):
        await sign_in(user, "vanthu", "sai-mat-khau")
        await user.should_see("Tên đăng nhập hoặc mật khẩu không đúng.", retries=100)
    await sign_in(user, "vanthu", "sai-mat-khau")
    await user.should_see("Đăng nhập tạm khóa", retries=100)


async def test_expired_session_says_so_on_the_login_page(user: User):
    await sign_in(user, "admin")
    await user.should_see("Phạm Quốc Quản")
    with write_scope() as session:
        for row in session.exec(select(UserSession)):
            row.expires_at = row.expires_at - timedelta(days=2)
        session.commit()
    await user.open("/")
    await user.should_see("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.")


async def test_generated_password_must_be_changed_at_first_sign_in(user: User):
    with write_scope() as session:
        account = session.exec(select(Account).where(Account.username == "001099012345")).one()
        account.must_change_password = True
        session.commit()
    await user.open("/login")
    user.find(marker="login").type("001099012345")
    user.find(marker="password").type("demo1234")
    user.find(marker="submit").click()
    await user.should_see("Bạn đang dùng mật khẩu do hệ thống cấp", retries=100)
    await user.open("/")  # any other page sends them back
    await user.should_see("Bạn đang dùng mật khẩu do hệ thống cấp")
    user.find(marker="old").type("demo1234")
    user.find(marker="new").type("Matkhau-moi-1")
    user.find(marker="again").type("Matkhau-moi-1")
    user.find(marker="save-password").click()
    await user.should_see("Thông tin tài khoản", retries=100)


@pytest.mark.parametrize("username, visible, hidden", [
    ("admin", ["Quản lý người dùng"], ["Chờ ký (lãnh đạo)", "Tạo tài khoản công dân"]),
    ("motcua", ["Tạo tài khoản công dân"], ["Quản lý người dùng", "Đóng dấu, cấp số"]),
    ("lanhdao", ["Chờ ký (lãnh đạo)"], ["Quản lý người dùng", "Tạo tài khoản công dân"]),
    ("vanthu", ["Đóng dấu, cấp số"], ["Chờ ký (lãnh đạo)", "Quản lý người dùng"]),
    ("chungthuc", ["Tiếp nhận hồ sơ"], ["Quản lý người dùng", "Đóng dấu, cấp số"]),
])
async def test_menu_shows_only_what_the_rights_allow(user: User, username, visible, hidden):
    await sign_in(user, username)
    await user.should_see("Trang chủ")
    for label in visible:
        await user.should_see(label)
    for label in hidden:
        await user.should_not_see(label)


async def test_open_redirect_is_refused(user: User):
    await user.open("/login?redirect_to=//evil.example/x")
    user.find(marker="login").type("admin")
    user.find(marker="password").type("demo1234")
    user.find(marker="submit").click()
    await user.should_see("Phạm Quốc Quản", retries=100)
