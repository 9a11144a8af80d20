"""Home: an official's dashboard of the work their rights allow; a citizen's profile."""
from __future__ import annotations

from nicegui import ui

from app.views.accounts import account_profile
from components.dashboard import CITIZEN_WIDGETS, DASHBOARD_WIDGETS
from components.frame import frame, official_page
from components.menu import links_html, menu_for
from domain.clock import format_local


@official_page("/")
def home_page(user) -> None:
    with frame("Trang chủ", user):
        if user.is_citizen:
            citizen_home(user)
        else:
            official_home(user)


def official_home(user) -> None:
    if not user.rights:
        ui.label("Tài khoản của bạn chưa được giao quyền nào. Vui lòng liên hệ quản trị hệ thống.")
    for widget in DASHBOARD_WIDGETS:
        widget(user)
    # One HTML element for the shortcuts: a card with a click handler per page made home slow to build.
    ui.html(f'<div class="ct-shortcuts">{links_html(menu_for(user)[1:], "ct-shortcut")}</div>',
            sanitize=False).classes("w-full")


def citizen_home(user) -> None:
    account = account_profile(user.account_id)
    with ui.card().classes("w-full"):
        ui.label("Thông tin tài khoản").classes("font-bold")
        for label, value in [
            ("Họ và tên", account.full_name),
            ("Số định danh cá nhân", account.id_number),
            ("Ngày sinh", account.date_of_birth.strftime("%d/%m/%Y") if account.date_of_birth else ""),
            ("Số điện thoại", account.phone),
            ("Thư điện tử", account.email or ""),
            ("Lần đăng nhập trước", format_local(account.last_login_at)),
        ]:
            with ui.row().classes("gap-2"):
                ui.label(f"{label}:").classes("text-gray-600")
                ui.label(value or "")
    for widget in CITIZEN_WIDGETS:
        widget(user)
