"""Quản lý đơn vị (SPEC A3, A5): find units by identifier code or name, add and edit them."""
from __future__ import annotations

from nicegui import ui

from app.web.actions import read_now, run_action
from components.admin_common import error_label, pager
from components.frame import frame, official_page
from domain.administration import UNIT_KINDS, UnitInput, create_unit, search_units, update_unit
from domain.rights import Right
from domain.text import ONE_STOP_MARKER, contains_one_stop_marker


@official_page("/admin/units", right=Right.ADMINISTER)
def units_page(user, q: str = "", page: int = 1) -> None:
    state = {"q": q, "page": page, "editing": None}
    with frame("Quản lý đơn vị", user):
        form = UnitForm(lambda: results.refresh())
        with ui.row().classes("w-full items-end gap-2 flex-wrap"):
            query = ui.input("Tìm theo mã định danh hoặc tên đơn vị", value=q).classes("grow min-w-[16rem]") \
                .mark("unit-query").props("clearable data-testid=unit-query")
            ui.button("Tìm", icon="search", on_click=lambda: search(1)).mark("unit-find").props(
                "data-testid=unit-find"
            )
        message = error_label("units-error")

        def search(to_page: int) -> None:
            state.update(q=query.value or "", page=to_page)
            results.refresh()

        query.on("keydown.enter", lambda: search(1))

        @ui.refreshable
        def results() -> None:
            ok, found = read_now(
                search_units, state["q"], state["page"], right=Right.ADMINISTER, message=message
            )
            if not ok:
                return
            if not found.items:
                ui.label("Không tìm thấy đơn vị nào.").mark("units-not-found")
            for row in found.items:
                unit_card(row, form)
            pager(found, search)

        results()


def unit_card(row, form: UnitForm) -> None:
    with ui.card().classes("w-full"):
        with ui.row().classes("w-full items-center justify-between gap-2 flex-wrap"):
            with ui.column().classes("gap-0"):
                ui.label(row.label).classes("font-bold")
                details = [UNIT_KINDS.get(row.kind, row.kind), f"{row.members} công chức"]
                if row.parent_label:
                    details.append(f"thuộc {row.parent_label}")
                ui.label(" · ".join(details)).classes("text-sm text-gray-700")
                if row.is_one_stop:
                    ui.label(
                        "Là Bộ phận Một cửa: công chức có thể được cấp quyền tạo tài khoản cho công dân"
                    ).classes("text-xs text-green-800")
            ui.button("Sửa", icon="edit", on_click=lambda r=row: form.load(r)) \
                .props(f"flat data-testid=edit-unit-{row.code}").mark(f"edit-unit-{row.code}")


class UnitForm:
    """Add a unit, or edit the one picked from the list."""

    def __init__(self, on_saved):
        self.on_saved = on_saved
        self.unit_id: int | None = None
        ok, found = read_now(search_units, "", page_size=1000, right=Right.ADMINISTER)
        parents = {row.id: row.label for row in found.items} if ok else {}
        with ui.card().classes("w-full gap-2"):
            self.title = ui.label("Thêm đơn vị").classes("font-bold").mark("unit-form-title")
            with ui.row().classes("w-full gap-2 flex-wrap"):
                self.code = (
                    ui.input("Mã định danh")
                    .classes("w-full sm:w-48")
                    .mark("u-code")
                    .props("data-testid=u-code")
                )
                self.name = ui.input("Tên đơn vị", on_change=self._hint).classes("grow min-w-[16rem]") \
                    .mark("u-name").props("data-testid=u-name")
            with ui.row().classes("w-full gap-2 flex-wrap"):
                self.kind = ui.select(UNIT_KINDS, value="other", label="Loại đơn vị").classes("w-56") \
                    .mark("u-kind").props("data-testid=u-kind")
                self.parent = (
                    ui.select(
                        parents,
                        value=None,
                        label="Thuộc đơn vị (để trống: trực thuộc cơ quan)",
                        with_input=True,
                        clearable=True,
                    )
                    .classes("grow min-w-[16rem]")
                    .mark("u-parent")
                    .props("data-testid=u-parent")
                )
            self.hint = ui.label("").classes("text-sm").mark("u-hint").props("data-testid=u-hint")
            self.message = error_label("unit-error")
            with ui.row().classes("gap-2"):
                ui.button("Lưu đơn vị", icon="save", on_click=self.save).mark("save-unit").props(
                    "data-testid=save-unit"
                )
                ui.button("Thêm đơn vị mới", on_click=self.clear).props("flat data-testid=new-unit").mark(
                    "new-unit"
                )

    def load(self, row) -> None:
        self.unit_id = row.id
        self.title.text = f"Sửa đơn vị {row.code}"
        self.code.value, self.name.value, self.kind.value, self.parent.value = (
            row.code,
            row.name,
            row.kind,
            row.parent_id,
        )
        self.message.text = ""
        ui.run_javascript("window.scrollTo({top: 0, behavior: 'smooth'})")

    def clear(self) -> None:
        self.unit_id = None
        self.title.text = "Thêm đơn vị"
        self.code.value, self.name.value, self.kind.value, self.parent.value = "", "", "other", None
        self.message.text = ""

    def _hint(self) -> None:
        name = self.name.value or ""
        if not name.strip():
            self.hint.text = ""
        elif contains_one_stop_marker(name):
            self.hint.text = f"Tên có «{ONE_STOP_MARKER}»: đơn vị là Bộ phận Một cửa."
        else:
            self.hint.text = (f"Tên không có «{ONE_STOP_MARKER}»: công chức của đơn vị không được cấp "
                              "quyền tạo tài khoản cho công dân.")

    async def save(self) -> None:
        self.message.classes(replace="text-red-700 whitespace-pre-line")
        data = UnitInput(self.code.value or "", self.name.value or "", self.kind.value, self.parent.value)
        if self.unit_id is None:
            ok, _ = await run_action(
                create_unit,
                data,
                right=Right.ADMINISTER,
                message=self.message,
                success="Đã thêm đơn vị.",
            )
        else:
            unit_id = self.unit_id
            ok, notes = await run_action(
                update_unit,
                unit_id,
                data,
                right=Right.ADMINISTER,
                record=("unit", unit_id),
                message=self.message,
                success="Đã lưu đơn vị.",
            )
            if ok and notes:
                self.message.text = "\n".join(notes)
                self.message.classes(replace="text-orange-900 whitespace-pre-line")
        if ok:
            if self.unit_id is None:
                self.clear()
            self.on_saved()
