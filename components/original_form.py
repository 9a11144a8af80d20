"""The form of one original (bản chính): type and title, issuer, date, origin and legalisation
(SPEC C1), pages of the original, copies, the Art. 22 checklist, who made the scan; shows the fee."""
from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from components.dossier_common import notify_error, vnd
from domain.dates import parse_day_or_none
from domain.dossiers import COMMON_DOCUMENT_TYPES, OriginalData
from domain.fees import original_fee
from domain.refusal import (
    CHECKLIST,
    EXEMPTION_CATEGORIES,
    FOREIGN_NOT_LEGALISED,
    LEGALISATION_LABELS,
    NOT_LEGALISED,
    ORIGIN_FOREIGN,
    ORIGIN_LABELS,
)

NOT_LEGALISED_WARNING = ("Giấy tờ do nước ngoài cấp chưa được hợp pháp hóa lãnh sự: không được chứng thực "
                         "(khoản 5 Điều 22 Nghị định 23/2015/NĐ-CP). Hãy lập thông báo từ chối chứng thực.")
REQUESTER_SCAN_CONFIRM = (
    "Tôi đã đối chiếu bản scan do người yêu cầu cung cấp với bản chính: đúng và đủ trang."
)


class OriginalForm:
    """`OriginalForm(original_or_None, editable, on_save=async/sync fn(OriginalData),
    on_refuse=fn(ground))`."""

    def __init__(self, original, editable: bool, key: str, on_save: Callable, on_refuse: Callable,
                 scanned_pages: int = 0):
        self.on_save, self.on_refuse = on_save, on_refuse
        o = original
        with ui.column().classes("w-full gap-1"):
            self._identity(o, key)
            self._origin(o, key, on_refuse)
            self._counts(o, key, scanned_pages)
            self._checks(o, key)
            if editable:
                ui.button("Lưu bản chính", icon="save", on_click=self._save) \
                    .props(f"data-testid=orig-save-{key}").mark(f"orig-save-{key}")
        self._update()
        if not editable:
            self._disable_all()

    def _identity(self, o, key: str) -> None:
        """Type and title, issuer and date of issue."""
        with ui.row().classes("w-full gap-2 no-wrap items-start"):
            self.doc_type = (
                ui.select(
                    COMMON_DOCUMENT_TYPES,
                    label="Loại giấy tờ",
                    value=(o.doc_type or None) if o else None,
                    on_change=self._type_chosen,
                    clearable=True,
                )
                .classes("w-1/3")
                .props(f"data-testid=orig-type-{key}")
                .mark(f"orig-type-{key}")
            )
            self.title = ui.input("Tên giấy tờ (bản chính)", value=o.title if o else "").classes("grow") \
                .props(f"data-testid=orig-title-{key}").mark(f"orig-title-{key}")
        with ui.row().classes("w-full gap-2 no-wrap"):
            self.issuer = ui.input("Cơ quan cấp", value=o.issuer if o else "").classes("grow") \
                .props(f"data-testid=orig-issuer-{key}").mark(f"orig-issuer-{key}")
            self.issue_date = (
                ui.input(
                    "Ngày cấp (dd/mm/yyyy)",
                    value=o.issue_date.strftime("%d/%m/%Y") if o and o.issue_date else "",
                )
                .classes("w-40")
                .props(f"data-testid=orig-date-{key}")
                .mark(f"orig-date-{key}")
            )

    def _origin(self, o, key: str, on_refuse: Callable) -> None:
        """Origin; for a foreign original its legalisation, exemption, and the refusal it may call for."""
        self.origin = (
            ui.select(
                ORIGIN_LABELS,
                label="Nguồn gốc bản chính",
                value=o.origin if o else "vietnamese",
                on_change=self._update,
            )
            .classes("w-full")
            .props(f"data-testid=orig-origin-{key}")
            .mark(f"orig-origin-{key}")
        )
        with ui.column().classes("w-full gap-1") as self.foreign_box:
            self.legalisation = ui.select(LEGALISATION_LABELS, label="Hợp pháp hóa lãnh sự",
                                          value=o.legalisation if o else None, on_change=self._update) \
                .classes("w-full").props(f"data-testid=orig-legal-{key}").mark(f"orig-legal-{key}")
            self.exemption = ui.select(EXEMPTION_CATEGORIES, value=o.exemption_category if o else None,
                                       label="Loại giấy tờ được miễn (Điều 6 Thông tư 01/2020/TT-BTP)") \
                .classes("w-full").props(f"data-testid=orig-exempt-{key}").mark(f"orig-exempt-{key}")
            with ui.row().classes("w-full items-center gap-2 bg-red-50 p-2") as self.refuse_box:
                ui.label(NOT_LEGALISED_WARNING).classes("text-red-800 grow").mark(
                    f"orig-must-refuse-{key}"
                )
                ui.button(
                    "Từ chối chứng thực", icon="block", on_click=lambda: on_refuse(FOREIGN_NOT_LEGALISED)
                ).props(f"color=negative data-testid=orig-refuse-{key}").mark(f"orig-refuse-{key}")

    def _counts(self, o, key: str, scanned_pages: int) -> None:
        """Pages of the original, copies, and the fee they make."""
        with ui.row().classes("w-full gap-2 no-wrap items-center"):
            self.pages = (
                ui.number(
                    "Số trang bản chính",
                    value=o.pages if o else max(1, scanned_pages),
                    min=1,
                    precision=0,
                    on_change=self._update,
                )
                .classes("w-40")
                .props(f"data-testid=orig-pages-{key}")
                .mark(f"orig-pages-{key}")
            )
            self.copies = ui.number("Số bản sao", value=o.copies if o else 1, min=1, max=100, precision=0,
                                    on_change=self._update).classes("w-32") \
                .props(f"data-testid=orig-copies-{key}").mark(f"orig-copies-{key}")
            self.fee = ui.label().classes("font-medium").mark(f"orig-fee-{key}")

    def _disable_all(self) -> None:
        for element in (
            self.doc_type,
            self.title,
            self.issuer,
            self.issue_date,
            self.origin,
            self.legalisation,
            self.exemption,
            self.pages,
            self.copies,
            self.scan_source,
            self.source_confirm,
            *self.checks.values(),
        ):
            element.disable()

    def _checks(self, o, key: str) -> None:
        """The Art. 22 checklist and who made the scan."""
        ui.label("Kiểm tra bản chính (Điều 22 Nghị định 23/2015/NĐ-CP) — đánh dấu các điểm đã xác nhận:") \
            .classes("text-sm font-medium mt-2")
        confirmed = set(o.checks or []) if o else set()
        self.checks = {}
        for item in CHECKLIST:
            self.checks[item.code] = ui.checkbox(item.label, value=item.code in confirmed) \
                .props(f"data-testid=check-{item.code}-{key}").mark(f"check-{item.code}-{key}")
        self.checks["individual_confirmed"].set_text(
            CHECKLIST[-1].label + " (chỉ với giấy tờ do cá nhân tự lập)")
        self.scan_source = ui.radio({"official": "Bản scan do công chức chụp/quét",
                                     "requester": "Bản scan do người yêu cầu cung cấp"},
                                    value=o.scan_source if o else "official", on_change=self._update) \
            .props(f"inline data-testid=orig-source-{key}").mark(f"orig-source-{key}")
        self.source_confirm = (
            ui.checkbox(REQUESTER_SCAN_CONFIRM, value=bool(o and o.scan_source == "requester"))
            .props(f"data-testid=orig-source-ok-{key}")
            .mark(f"orig-source-ok-{key}")
        )

    def _type_chosen(self) -> None:
        if self.doc_type.value and self.doc_type.value != "Khác" and not (self.title.value or "").strip():
            self.title.set_value(self.doc_type.value)

    def _update(self) -> None:
        foreign = self.origin.value == ORIGIN_FOREIGN
        self.foreign_box.set_visibility(foreign)
        self.exemption.set_visibility(foreign and self.legalisation.value == "exempt")
        self.refuse_box.set_visibility(foreign and self.legalisation.value == NOT_LEGALISED)
        self.checks["foreign_legalised"].set_visibility(foreign)
        self.source_confirm.set_visibility(self.scan_source.value == "requester")
        pages, copies = _int(self.pages.value), _int(self.copies.value)
        self.fee.set_text(f"Phí: {vnd(original_fee(pages, copies))}" if pages and copies else "Phí: —")

    def data(self) -> OriginalData | None:
        """The typed data, or None after telling the official what is wrong."""
        issue_date = None
        if (self.issue_date.value or "").strip():
            issue_date = parse_day_or_none(self.issue_date.value)
            if issue_date is None:
                notify_error("Ngày cấp không hợp lệ; nhập theo dạng dd/mm/yyyy.")
                return None
        pages, copies = _int(self.pages.value), _int(self.copies.value)
        if not pages or not copies:
            notify_error("Vui lòng nhập số trang của bản chính và số bản sao (số nguyên từ 1).")
            return None
        if self.scan_source.value == "requester" and not self.source_confirm.value:
            notify_error("Bản scan do người yêu cầu cung cấp: vui lòng xác nhận đã đối chiếu với bản chính.")
            return None
        foreign = self.origin.value == ORIGIN_FOREIGN
        checks = [code for code, box in self.checks.items()
                  if box.value and (foreign or code != "foreign_legalised")]
        return OriginalData(
            title=self.title.value or "",
            doc_type=self.doc_type.value or "",
            issuer=(self.issuer.value or "").strip(),
            issue_date=issue_date,
            origin=self.origin.value,
            legalisation=self.legalisation.value if foreign else None,
            exemption_category=self.exemption.value if foreign else None,
            pages=pages,
            copies=copies,
            checks=checks,
            scan_source=self.scan_source.value,
        )

    async def _save(self) -> None:
        data = self.data()
        if data is not None:
            result = self.on_save(data)
            if hasattr(result, "__await__"):
                await result


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 1 and number == value else None
