"""Quản trị hệ thống » Quản lý người dùng (SPEC A2–A4, C8): find officials, add one, open one."""
from __future__ import annotations

from nicegui import ui

from app.web.actions import read_now, run_action
from components.admin_common import error_label, gaps_warning, pager, status_badge
from components.admin_official_form import official_form
from components.admin_official_panel import official_panel
from components.frame import frame, official_page
from domain.administration import STATUS_FILTERS, create_official, search_officials
from domain.rights import RIGHT_LABELS, Right

NOT_FOUND = (
    "Không tìm thấy công chức nào. Nếu tài khoản chưa kích hoạt, hãy chọn trạng thái «Chưa kích hoạt»; "
    "nếu công chức chưa có tài khoản, hãy bấm «Thêm công chức» rồi tìm lại."
)


@official_page("/admin/users", right=Right.ADMINISTER)
def users_page(user, q: str = "", status: str = "active", page: int = 1) -> None:
    state = {"q": q, "status": status if status in STATUS_FILTERS else "active", "page": page}
    with frame("Quản lý người dùng", user):
        gaps_warning(user.office_id)
        with ui.row().classes("w-full items-end gap-2 flex-wrap"):
            query = ui.input("Tìm theo họ tên, số điện thoại hoặc số định danh", value=state["q"]) \
                .classes("grow min-w-[16rem]").mark("user-search").props("clearable data-testid=user-search")
            status_select = ui.select(STATUS_FILTERS, value=state["status"], label="Trạng thái") \
                .classes("w-48").mark("status-filter").props("data-testid=status-filter")
            ui.button("Tìm", icon="search", on_click=lambda: search(1)).mark("search").props(
                "data-testid=search"
            )
            ui.button(
                "Thêm công chức", icon="person_add", on_click=lambda: ui.navigate.to("/admin/users/new")
            ).props("outline data-testid=add-official").mark("add-official")
        message = error_label("users-error")

        def search(to_page: int) -> None:
            state.update(q=query.value or "", status=status_select.value, page=to_page)
            results.refresh()

        query.on("keydown.enter", lambda: search(1))
        status_select.on_value_change(lambda: search(1))

        @ui.refreshable
        def results() -> None:
            ok, found = read_now(
                search_officials,
                state["q"],
                state["status"],
                state["page"],
                right=Right.ADMINISTER,
                message=message,
            )
            if not ok:
                return
            state["page"] = found.page
            if not found.items:
                ui.label(NOT_FOUND).classes("text-gray-700").mark("not-found").props("data-testid=not-found")
                return
            for row in found.items:
                official_card(row)
            pager(found, search)

        results()


def official_card(row) -> None:
    with (
        ui.card()
        .classes("w-full cursor-pointer")
        .on("click", lambda r=row: ui.navigate.to(f"/admin/users/{r.id}"))
    ):
        with ui.row().classes("w-full items-center justify-between gap-2 flex-wrap"):
            with ui.column().classes("gap-0"):
                ui.label(f"{row.full_name} ({row.username})").classes("font-bold")
                ui.label(f"SĐT {row.phone or '—'} · Số định danh {row.id_number or '—'}").classes("text-sm")
                ui.label(
                    f"Đơn vị: {row.unit_code} — {row.unit_name}" if row.unit_id else "Đơn vị: chưa gán"
                ).classes("text-sm text-gray-700")
                if row.rights:
                    ui.label(", ".join(RIGHT_LABELS[r] for r in row.rights)).classes("text-xs text-gray-600")
            with ui.row().classes("items-center gap-2"):
                status_badge(row.status_label)
                ui.button("Mở", icon="edit", on_click=lambda r=row: ui.navigate.to(f"/admin/users/{r.id}")) \
                    .props(f"flat data-testid=open-{row.username}").mark(f"open-{row.username}")


@official_page("/admin/users/new", right=Right.ADMINISTER)
def new_official_page(user) -> None:
    with frame("Thêm công chức", user):
        ui.label(
            "Nhập thông tin tài khoản. Mật khẩu ban đầu do hệ thống tạo và gửi qua SMS tới số điện thoại "
            "của công chức; công chức phải đổi mật khẩu ở lần đăng nhập đầu."
        ).classes("text-sm text-gray-700")
        form = official_form(None)
        initial = ui.radio({"sms": "Gửi mật khẩu ban đầu qua SMS ngay",
                            "pending": "Chưa kích hoạt (cấp mật khẩu sau)"}, value="sms") \
            .mark("initial").props("data-testid=initial")
        message = error_label("official-error")

        async def save() -> None:
            ok, account = await run_action(
                create_official,
                form.value(),
                send_password=initial.value == "sms",
                right=Right.ADMINISTER,
                message=message,
            )
            if ok:
                ui.notify("Đã thêm tài khoản" + (", mật khẩu đã được gửi qua SMS." if initial.value == "sms"
                                                 else " (chưa kích hoạt)."), type="positive")
                ui.navigate.to(f"/admin/users/{account.id}")

        with ui.row().classes("gap-2"):
            ui.button("Lưu tài khoản", icon="save", on_click=save).mark("save-official").props(
                "data-testid=save-official"
            )
            ui.button("Quay lại", on_click=lambda: ui.navigate.to("/admin/users")).props("flat")


@official_page("/admin/users/{account_id}", right=Right.ADMINISTER)
def official_detail_page(user, account_id: int) -> None:
    with frame("Tài khoản công chức", user):
        ui.button(
            "Danh sách người dùng", icon="arrow_back", on_click=lambda: ui.navigate.to("/admin/users")
        ).props("flat")
        official_panel(user, account_id)
