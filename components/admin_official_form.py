"""The official's fields, with the work-unit picker of A3: search units by code or name, pick one."""
from __future__ import annotations

from dataclasses import dataclass

from nicegui import ui

from app.web.actions import read_now
from domain.administration import OfficialInput, OfficialRow, search_units
from domain.rights import Right


@dataclass
class OfficialForm:
    username: ui.input
    full_name: ui.input
    id_number: ui.input
    phone: ui.input
    email: ui.input
    unit: UnitPicker

    def value(self) -> OfficialInput:
        return OfficialInput(
            self.username.value or "",
            self.full_name.value or "",
            self.id_number.value or "",
            self.phone.value or "",
            self.email.value or "",
            self.unit.unit_id,
        )


def official_form(row: OfficialRow | None) -> OfficialForm:
    def field(label: str, marker: str, value: str, **props) -> ui.input:
        extra = " ".join(f"{k}={v}" for k, v in props.items())
        return ui.input(label, value=value).classes("w-full sm:w-80").mark(marker) \
            .props(f"data-testid={marker} {extra}".strip())

    with ui.row().classes("w-full gap-2 flex-wrap"):
        username = field("Tên đăng nhập", "f-username", row.username if row else "", autocomplete="off")
        full_name = field("Họ và tên", "f-full-name", row.full_name if row else "")
        id_number = field("Số định danh cá nhân (CCCD, 12 số)", "f-id-number", row.id_number if row else "",
                          inputmode="numeric")
        phone = field("Số điện thoại di động", "f-phone", row.phone if row else "", inputmode="tel")
        email = field("Thư điện tử (không bắt buộc)", "f-email", row.email if row else "", type="email")
    picker = UnitPicker(
        row.unit_id if row else None, f"{row.unit_code} — {row.unit_name}" if row and row.unit_id else ""
    )
    return OfficialForm(username, full_name, id_number, phone, email, picker)


class UnitPicker:
    """A3: 'Đơn vị công tác' — a search box and a pick list of matching units."""

    def __init__(self, unit_id: int | None, label: str):
        self.unit_id = unit_id
        with ui.card().classes("w-full gap-2"):
            ui.label("Đơn vị công tác").classes("font-bold")
            self.chosen = (
                ui.label(self._chosen_text(label)).mark("unit-chosen").props("data-testid=unit-chosen")
            )
            with ui.row().classes("w-full items-end gap-2 flex-wrap"):
                self.query = ui.input("Tìm đơn vị theo mã định danh hoặc tên").classes("grow min-w-[14rem]") \
                    .mark("unit-search").props("clearable data-testid=unit-search")
                ui.button("Tìm đơn vị", icon="search", on_click=self.search).props(
                    "outline data-testid=unit-search-go"
                ).mark("unit-search-go")
                ui.button("Bỏ gán đơn vị", on_click=lambda: self.pick(None, "")).props("flat")
            self.query.on("keydown.enter", self.search)
            self.results = ui.column().classes("w-full gap-1")

    def search(self) -> None:
        self.results.clear()
        ok, page = read_now(search_units, self.query.value or "", page_size=10, right=Right.ADMINISTER)
        if not ok:
            return
        with self.results:
            if not page.items:
                ui.label("Không tìm thấy đơn vị nào khớp. Hãy thử mã định danh hoặc một phần tên đơn vị.") \
                    .classes("text-sm text-gray-700").mark("unit-not-found")
            for unit in page.items:
                hint = " · Bộ phận Một cửa" if unit.is_one_stop else ""
                ui.button(f"{unit.label}{hint}", on_click=lambda u=unit: self.pick(u.id, u.label)) \
                    .props(f"flat no-caps align=left data-testid=unit-option-{unit.code}") \
                    .classes("w-full text-left").mark(f"unit-option-{unit.code}")
            if page.total > len(page.items):
                ui.label(f"Còn {page.total - len(page.items)} đơn vị khác: hãy gõ cụ thể hơn.").classes(
                    "text-xs"
                )

    def pick(self, unit_id: int | None, label: str) -> None:
        self.unit_id = unit_id
        self.chosen.text = self._chosen_text(label)
        self.results.clear()

    @staticmethod
    def _chosen_text(label: str) -> str:
        return f"Đơn vị đã chọn: {label}" if label else "Đơn vị đã chọn: chưa gán đơn vị"
