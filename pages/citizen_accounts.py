"""Quản trị hệ thống » Tạo tài khoản công dân (SPEC A6): the citizen accounts this official created,
searched and paged on the server, and «Thêm mới». The new-account desk is pages/citizen_account_new.py."""
from __future__ import annotations

from nicegui import ui

from app.views.accounts import created_accounts
from components.frame import frame, official_page
from domain.clock import format_local
from domain.rights import Right

PAGE_SIZE = 20
COLUMNS = [
    {"name": "created", "label": "Ngày tạo", "field": "created", "align": "left"},
    {"name": "full_name", "label": "Họ và tên", "field": "full_name", "align": "left"},
    {"name": "id_number", "label": "Số định danh", "field": "id_number", "align": "left"},
    {"name": "phone", "label": "Điện thoại", "field": "phone", "align": "left"},
    {"name": "state", "label": "Trạng thái", "field": "state", "align": "left"},
]


@official_page("/citizen-accounts", right=Right.CREATE_CITIZEN_ACCOUNT)
def accounts_page(user) -> None:
    state = {"page": 1, "search": ""}
    with frame("Tạo tài khoản công dân", user):
        ui.label("Các tài khoản công dân do bạn tạo tại Bộ phận Một cửa.").classes("text-gray-700")
        with ui.row().classes("w-full items-center gap-2"):
            search = ui.input("Tìm theo họ tên, số định danh hoặc số điện thoại").classes("grow") \
                .props("clearable data-testid=search").mark("search")
            ui.button("Tìm", icon="search", on_click=lambda: apply_search()).mark("search-button") \
                .props("data-testid=search-button")
            ui.button(
                "Thêm mới", icon="person_add", on_click=lambda: ui.navigate.to("/citizen-accounts/new")
            ).props("color=primary data-testid=add-new").mark("add-new")
        table = ui.table(columns=COLUMNS, rows=[], row_key="id").classes("w-full") \
            .props("flat bordered wrap-cells hide-bottom data-testid=accounts-table").mark("accounts-table")
        with ui.row().classes("w-full items-center justify-between"):
            previous = ui.button("Trang trước", icon="chevron_left", on_click=lambda: go(-1)).props("flat") \
                .mark("previous")
            position = ui.label().mark("page-position").props("data-testid=page-position")
            following = ui.button("Trang sau", icon="chevron_right", on_click=lambda: go(1)).props("flat") \
                .mark("next")
        empty = ui.label().classes("text-gray-600").mark("empty")

        def refresh() -> None:
            rows, total = created_accounts(user.account_id, state["search"], state["page"], PAGE_SIZE)
            pages = max(1, -(-total // PAGE_SIZE))
            table.rows = [account_row(a) for a in rows]
            table.update()
            position.text = f"Trang {state['page']}/{pages} — {total} tài khoản"
            previous.set_enabled(state["page"] > 1)
            following.set_enabled(state["page"] < pages)
            empty.text = empty_text(total, state["search"])

        def apply_search() -> None:
            state["search"], state["page"] = (search.value or "").strip(), 1
            refresh()

        def go(step: int) -> None:
            state["page"] = max(1, state["page"] + step)
            refresh()

        search.on("keydown.enter", apply_search)
        search.on("clear", apply_search)
        refresh()


def account_row(a) -> dict:
    return {
        "id": a.id,
        "created": format_local(a.created_at),
        "full_name": a.full_name,
        "id_number": a.id_number or "",
        "phone": a.phone or "",
        "state": "Chờ đổi mật khẩu" if a.must_change_password else "Đang dùng",
    }


def empty_text(total: int, search: str) -> str:
    """Under the table: nothing when there are rows; otherwise why the table is empty."""
    if total:
        return ""
    if search:
        return "Không có tài khoản nào khớp."
    return "Bạn chưa tạo tài khoản công dân nào. Bấm «Thêm mới» để bắt đầu."
