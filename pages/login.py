"""Sign-in (/login), sign-out (/logout) and the forced or voluntary password change."""
from __future__ import annotations

import asyncio

from fastapi import Request
from nicegui import app, ui

from app.settings import get_settings
from app.web.actions import run_action, run_public
from app.web.auth import (
    actor_for,
    begin_session,
    complete_sign_in,
    current_user,
    forget,
    session_token,
    sign_out_here,
)
from components.frame import demo_banner, frame
from components.menu import REGISTERED
from domain.accounts import SESSION_EXPIRED, SignInError, change_password, sign_in, sign_in_delay_seconds
from domain.redirects import safe_redirect

DEMO_ACCOUNTS = [
    ("admin", "Quản trị hệ thống"),
    ("motcua", "Bộ phận Một cửa: thu phí, tạo tài khoản công dân"),
    ("chungthuc", "Công chức chứng thực: tạo bản sao"),
    ("lanhdao", "Lãnh đạo: ký bản sao"),
    ("vanthu", "Văn thư: đóng dấu, cấp số"),
    ("001099012345", "Công dân"),
]


def add_routes() -> None:
    REGISTERED.add("/account/password")
    ui.page("/login")(login_page)
    ui.page("/logout")(logout_page)
    app.get("/login/done", include_in_schema=False)(complete_sign_in)
    ui.page("/account/password")(password_page)


async def login_page(request: Request, redirect_to: str = "/", expired: str = "") -> None:
    ui.page_title("Đăng nhập — Chứng thực điện tử")
    target = safe_redirect(redirect_to)
    demo_banner()
    with ui.column().classes("w-full items-center p-4"):
        with ui.card().classes("w-full max-w-md gap-3"):
            ui.label("Chứng thực bản sao điện tử từ bản chính").classes("text-lg font-bold text-blue-900")
            ui.label("Đăng nhập").classes("text-xl")
            if expired:
                ui.label(SESSION_EXPIRED).classes("text-orange-800").mark("expired").props("data-testid=expired")
            login = ui.input("Tên đăng nhập, số định danh hoặc số điện thoại").classes("w-full") \
                .mark("login").props("autocomplete=username data-testid=login")
            password = ui.input("Mật khẩu", password=True, password_toggle_button=True).classes("w-full") \
                .mark("password").props("autocomplete=current-password data-testid=password")
            error = ui.label("").classes("text-red-700").mark("login-error").props("data-testid=login-error")

            async def submit() -> None:
                error.text = ""
                if not login.value.strip() or not password.value:
                    error.text = "Vui lòng nhập tên đăng nhập và mật khẩu."
                    return
                button.disable()
                try:
                    delay = await run_public(_delay, login.value, tx="read")
                    if delay:
                        await asyncio.sleep(delay)
                    result = await run_public(_sign_in, login.value, password.value)
                    if result is None:  # the page went away meanwhile
                        return
                    token, must_change = result
                except SignInError as exc:
                    error.text = exc.message
                    return
                finally:
                    button.enable()
                # a new browser id with the token (app.web.auth.complete_sign_in): no session fixation
                begin_session(token, "/account/password" if must_change else target)

            password.on("keydown.enter", submit)
            button = (
                ui.button("Đăng nhập", on_click=submit)
                .classes("w-full")
                .mark("submit")
                .props("data-testid=submit")
            )
            ui.link("Quên mật khẩu? (công dân)", "/forgot-password").classes("text-sm")
            ui.link("Tra cứu bản sao điện tử đã chứng thực", "/verify").classes("text-sm")
        if get_settings().demo:
            with ui.card().classes("w-full max-w-md"):
                ui.label("Tài khoản demo (mật khẩu: demo1234)").classes("font-bold")
                for username, role in DEMO_ACCOUNTS:
                    ui.label(f"{username} — {role}").classes("text-sm")


def _delay(session, visitor, login: str) -> float:
    return sign_in_delay_seconds(session, login, visitor.client_addr)


def _sign_in(session, visitor, login: str, password: str) -> tuple[str, bool]:
    result = sign_in(session, login, password, client_addr=visitor.client_addr,
                     session_hours=get_settings().session_hours)
    return result.token, result.must_change_password


def logout_page() -> None:
    """A link to /logout only asks: signing out takes the button (a websocket event, which neither a
    link nor another site's form can trigger)."""
    user = current_user()
    if user is None:
        ui.navigate.to("/login")
        return
    with frame("Đăng xuất", user):
        ui.label("Bạn có muốn đăng xuất khỏi thiết bị này?")
        ui.button("Đăng xuất", icon="logout", on_click=sign_out_here).mark("sign-out").props(
            "data-testid=sign-out"
        )


def password_page(request: Request) -> None:
    user = current_user()
    if user is None:
        ui.navigate.to("/login")
        return
    with frame("Đổi mật khẩu", user):
        if user.must_change_password:
            ui.label(
                "Bạn đang dùng mật khẩu do hệ thống cấp. Vui lòng đặt mật khẩu mới trước khi tiếp tục."
            ).classes("text-orange-800").mark("must-change").props("data-testid=must-change")
        old = (
            ui.input("Mật khẩu hiện tại", password=True)
            .classes("w-full max-w-md")
            .mark("old")
            .props("data-testid=old")
        )
        new = ui.input("Mật khẩu mới (ít nhất 8 ký tự)", password=True).classes("w-full max-w-md") \
            .mark("new").props("data-testid=new")
        again = (
            ui.input("Nhập lại mật khẩu mới", password=True)
            .classes("w-full max-w-md")
            .mark("again")
            .props("data-testid=again")
        )
        error = (
            ui.label("").classes("text-red-700").mark("password-error").props("data-testid=password-error")
        )

        async def submit() -> None:
            if new.value != again.value:
                error.text = "Hai lần nhập mật khẩu mới không khớp."
                return
            keep = session_token()
            # argon2 twice (~2 s) off the event loop; every other session of the account ends
            if not (await run_action(_change_password, old.value, new.value, keep, message=error)).ok:
                return
            forget()
            ui.notify("Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã kết thúc.", type="positive")
            ui.navigate.to("/")

        ui.button("Lưu mật khẩu mới", on_click=submit).mark("save-password").props(
            "data-testid=save-password"
        )


def _change_password(session, user, old: str, new: str, keep_token: str | None) -> None:
    change_password(session, user.account_id, old, new, actor_for(user), keep_token=keep_token)
