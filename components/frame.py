"""The page frame: header with the office and the signed-in person, a menu by rights, demo banner."""
from __future__ import annotations

import inspect
from collections.abc import Callable
from contextlib import contextmanager
from functools import update_wrapper

from nicegui import ui

from app.settings import get_settings
from app.web.auth import current_user, sign_out_here
from components.menu import REGISTERED, links_html, menu_for
from domain.access import CurrentUser
from domain.rights import RIGHT_LABELS

CSS = """
<style>
  .q-btn, .q-item, .q-field__control { min-height: 44px; }
  body { overflow-x: hidden; }
  .ct-page { width: 100%; max-width: 1100px; margin: 0 auto; }
  .ct-demo { background: #b45309; color: white; font-weight: 600; }
  .ct-menu-item { display: flex; align-items: center; gap: 16px; min-height: 48px; padding: 0 16px;
                  color: #1e3a8a; text-decoration: none; font-size: 15px; }
  .ct-menu-item:hover { background: #dbeafe; }
  .ct-shortcuts { display: flex; flex-wrap: wrap; gap: 8px; }
  .ct-shortcut { display: flex; align-items: center; gap: 12px; min-height: 56px; padding: 8px 16px;
                 width: 15rem; max-width: 100%; background: white; border-radius: 4px; color: #1e3a8a;
                 text-decoration: none; font-weight: 500;
                 box-shadow: 0 1px 5px rgba(0,0,0,.2), 0 2px 2px rgba(0,0,0,.14); }
  .ct-shortcut .q-icon { font-size: 28px; }
  .ct-menu-item .q-icon { font-size: 24px; }
  /* a link standing alone is a touch target: 44 px high at least */
  .q-btn.ct-touch, .q-uploader .q-btn { min-width: 44px; min-height: 44px; }
  .ct-touch-link { display: inline-flex; align-items: center; min-height: 44px; min-width: 44px; }
</style>
"""


def demo_banner() -> None:
    if get_settings().demo:
        ui.label("BẢN DEMO — dữ liệu và chữ ký số chỉ dùng để thử nghiệm, không có giá trị pháp lý") \
            .classes("ct-demo w-full text-center p-2 text-sm")


@contextmanager
def frame(title: str, user: CurrentUser):
    """Lay out a signed-in page: `with frame('Tiếp nhận hồ sơ', user): ...`"""
    ui.add_head_html(CSS)
    ui.page_title(f"{title} — Chứng thực điện tử")
    with ui.header(elevated=True).classes(
        "items-center justify-between bg-blue-900 px-2 py-1 gap-1 flex-wrap"
    ):
        with ui.row().classes("items-center gap-1 no-wrap"):
            ui.button(icon="menu", on_click=lambda: drawer.toggle()).props("flat color=white aria-label=Menu")
            with ui.column().classes("gap-0"):
                ui.label("Chứng thực bản sao điện tử").classes("text-sm font-bold")
                ui.label(user.office_name if not user.is_citizen else "Cổng công dân").classes("text-xs")
        with ui.row().classes("items-center gap-1 no-wrap"):
            with ui.column().classes("gap-0 items-end"):
                ui.label(user.full_name).classes("text-sm").mark("user-name").props("data-testid=user-name")
                if user.rights:
                    ui.label(", ".join(RIGHT_LABELS[r].removeprefix("Quyền ") for r in sorted(user.rights))) \
                        .classes("text-xs opacity-80")
            ui.button(icon="logout", on_click=sign_out_here).props(
                "flat color=white aria-label='Đăng xuất' data-testid=logout"
            ).tooltip("Đăng xuất").mark("logout")
    with ui.left_drawer(value=False).classes("bg-blue-50 p-0") as drawer:
        # One HTML element for the whole menu: dozens of Quasar items made every page slower to build.
        ui.html(
            f'<nav aria-label="Menu">{links_html(menu_for(user), "ct-menu-item")}</nav>', sanitize=False
        ).classes("w-full")
    demo_banner()
    with ui.column().classes("ct-page p-3 gap-3"):
        ui.label(title).classes("text-xl font-bold text-blue-900")
        yield


# (path, guarded page) in definition order: "/admin/users/new" before "/admin/users/{account_id}".
GUARDED_PAGES: list[tuple[str, Callable]] = []


def official_page(path: str, right: str | None = None, citizen: bool | None = None) -> Callable:
    """Declare a page for a signed-in user: `@official_page("/fees", right=Right.COLLECT_FEE)` above
    `def fees_page(user, request): ...`. Each visit first runs `signed_in_user(right, citizen)`
    (citizen=False: officials only, True: citizens only); the page function receives the user as its first
    argument.
    main.py adds the routes with `add_guarded_pages()`."""
    def declare(page: Callable) -> Callable:
        GUARDED_PAGES.append((path, _guarded(page, right, citizen)))
        return page
    return declare


def add_guarded_pages() -> None:
    for path, guarded in GUARDED_PAGES:
        REGISTERED.add(path)
        ui.page(path)(guarded)


def _guarded(page: Callable, right: str | None, citizen: bool | None) -> Callable:
    def guarded(*args, **kwargs):
        user = signed_in_user(right, citizen)
        if user is None:
            return None
        return page(user, *args, **kwargs)  # NiceGUI awaits the coroutine of an async page

    update_wrapper(guarded, page)  # __wrapped__: FastAPI reads the annotations in the page's module
    signature = inspect.signature(page)
    # NiceGUI and FastAPI see the page's parameters without the user
    guarded.__signature__ = signature.replace(parameters=list(signature.parameters.values())[1:])
    return guarded


def signed_in_user(right: str | None = None, citizen: bool | None = None) -> CurrentUser | None:
    """The user for a page, or None after sending them away (to sign-in, password change, or a refusal).
    The server checks the right here; the menu hiding a link is not a check."""
    user = current_user()
    if user is None:
        ui.navigate.to("/login")
        return None
    if user.must_change_password:
        ui.navigate.to("/account/password")
        return None
    if citizen is True and not user.is_citizen or citizen is False and user.is_citizen \
            or right is not None and not user.has(right):
        refusal_page(user)
        return None
    return user


def refusal_page(user: CurrentUser) -> None:
    with frame("Không có quyền truy cập", user):
        ui.label("Bạn không có quyền truy cập trang này. Nếu cần, hãy liên hệ quản trị hệ thống.") \
            .mark("access-denied").props("data-testid=access-denied")
        ui.button("Về trang chủ", on_click=lambda: ui.navigate.to("/"))
