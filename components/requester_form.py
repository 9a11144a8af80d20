"""The requester's details at intake: a person or an organisation, typed, copied from the confirmed
ID-card fields, or filled from the citizen's own account."""
from __future__ import annotations

from nicegui import ui

from components.dossier_common import notify_error
from domain.dates import parse_day_or_none
from domain.dossiers import RequesterData
from domain.idcard import FIELD_LABELS_VI


def field(label: str, testid: str, props: str = "") -> ui.input:
    return ui.input(label).classes("w-full").props(f"data-testid={testid} {props}".strip()).mark(testid)


# The ID-card fields this form takes (the card's other fields, e.g. "Quê quán", have no place on it).
COPIED_FIELDS = ("full_name", "id_number", "date_of_birth", "place_of_residence")


class RequesterForm:
    def __init__(self):
        with ui.card().classes("w-full"):
            self.kind = ui.radio({"person": "Cá nhân", "organisation": "Tổ chức"}, value="person") \
                .props("inline data-testid=req-kind").mark("req-kind")
            self.name = field("Họ và tên người yêu cầu (hoặc tên tổ chức)", "req-name")
            with ui.column().classes("w-full gap-2") as org_box:
                ui.label("Thông tin tổ chức").classes("font-medium")
                self.tax_code = field("Mã số thuế / mã số doanh nghiệp", "req-tax")
                self.representative = field("Người đại diện (họ và tên)", "req-rep")
            self.id_number = field("Số định danh cá nhân (CCCD) / CMND", "req-id", "inputmode=numeric")
            self.dob = field("Ngày sinh (dd/mm/yyyy)", "req-dob")
            self.phone = field("Số điện thoại", "req-phone", "inputmode=tel")
            self.email = field("Thư điện tử", "req-email", "inputmode=email")
            self.address = field("Địa chỉ", "req-address")
            self.complex_ = (
                ui.checkbox(
                    "Hồ sơ phức tạp (nhiều bản chính, nhiều trang, nội dung khó kiểm tra — thời "
                    "hạn xử lý tiếp nhận 16 giờ làm việc)"
                )
                .props("data-testid=req-complex")
                .mark("req-complex")
            )
        org_box.bind_visibility_from(self.kind, "value", value="organisation")

    def copy_confirmed(self, values: dict, unconfirmed: list[str]) -> None:
        """Copy the ID-card fields the official confirmed; say which of the form's fields still wait."""
        waiting = [FIELD_LABELS_VI[n] for n in unconfirmed if n in COPIED_FIELDS]
        if waiting:
            ui.notify(
                "Chưa chép các trường chưa xác nhận: " + ", ".join(waiting) + ". Hãy đối chiếu với thẻ và "
                "đánh dấu «Đúng» (hoặc sửa) rồi chép lại.",
                type="warning",
                multi_line=True,
            )
        for input_, key in ((self.name, "full_name"), (self.id_number, "id_number"),
                            (self.address, "place_of_residence")):
            if values.get(key):
                input_.set_value(values[key])
        if values.get("date_of_birth"):
            day = parse_day_or_none(values["date_of_birth"])
            self.dob.set_value(day.strftime("%d/%m/%Y") if day else values["date_of_birth"])

    def _draft_fields(self) -> dict:
        return {"kind": self.kind, "name": self.name, "tax_code": self.tax_code,
                "representative": self.representative, "id_number": self.id_number, "dob": self.dob,
                "phone": self.phone, "email": self.email, "address": self.address, "complex": self.complex_}

    def on_typed(self, callback) -> None:
        """Call back on every change the clerk makes (the draft is saved from it)."""
        for element in self._draft_fields().values():
            element.on_value_change(lambda _e: callback())

    def draft(self) -> dict:
        return {key: element.value for key, element in self._draft_fields().items()}

    def restore(self, data: dict) -> None:
        for key, element in self._draft_fields().items():
            if key in data:
                element.set_value(data[key])

    def fill_from_account(self, data: RequesterData) -> None:
        self.kind.set_value("person")
        self.name.set_value(data.name)
        self.id_number.set_value(data.id_number or "")
        self.dob.set_value(data.date_of_birth.strftime("%d/%m/%Y") if data.date_of_birth else "")
        self.phone.set_value(data.phone or "")
        self.email.set_value(data.email or "")
        self.address.set_value(data.address or "")

    def requester(self) -> RequesterData | None:
        """The typed details; None (after saying why) when the date of birth cannot be read."""
        birth = None
        if (self.dob.value or "").strip():
            birth = parse_day_or_none(self.dob.value)
            if birth is None:
                notify_error("Ngày sinh không hợp lệ; nhập theo dạng dd/mm/yyyy.")
                return None
        organisation = self.kind.value == "organisation"
        return RequesterData(
            name=self.name.value or "",
            kind=self.kind.value,
            id_number=_text(self.id_number),
            date_of_birth=birth,
            phone=_text(self.phone),
            email=_text(self.email),
            address=_text(self.address),
            tax_code=_text(self.tax_code) if organisation else None,
            representative=_text(self.representative) if organisation else None,
        )


def _text(input_: ui.input) -> str | None:
    return (input_.value or "").strip() or None
