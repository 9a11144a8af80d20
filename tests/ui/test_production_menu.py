"""Production mode (DEMO=0) on the pages: the first administrator signs in and sees no demo entry."""
from __future__ import annotations

import pytest
from nicegui.testing import User

PASSWORD = "Mat-khau-that-9"


@pytest.fixture
def production_mode(app_env, monkeypatch):
    from app.settings import reload_settings

    monkeypatch.setenv("DEMO", "0")
    reload_settings()


async def test_the_first_administrator_sees_no_demo_entry_in_the_menu(production_mode, user: User):
    from app.db import write_scope
    from app.demo import create_admin

    await user.open("/login")
    await user.should_not_see("Tài khoản demo")
    with write_scope() as session:
        create_admin(session, "quantri", "Nguyễn Quản Trị", PASSWORD, "UBND xã Thử Nghiệm")
    user.find(marker="login").type("quantri")
    user.find(marker="password").type(PASSWORD)
    user.find(marker="submit").click()
    await user.should_see(marker="user-name", retries=100)
    await user.should_see("Nguyễn Quản Trị")
    await user.should_not_see("Hộp thư SMS (demo)")
