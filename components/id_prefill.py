"""ID pre-fill form: upload a card scan, read it off the event loop, let staff confirm each field."""
from __future__ import annotations

from datetime import date
from typing import Awaitable, Callable

from nicegui import run, ui

from app.idcard import read_id_files
from domain.idcard import FIELD_LABELS_VI, FIELDS, IdCardData, IdCardReadError
from domain.idcard.result import DATE_FIELDS
from domain.idcard.text import find_dates

ACCEPT = ".jpg,.jpeg,.png,.pdf,.docx,.doc"
ALLOWED_KINDS = {"jpeg", "png", "pdf", "docx"}
MAX_PAGES = 4  # both sides of a card, perhaps one page each plus a cover
SOURCE_BADGES = {"qr": ("QR", "green"), "mrz": ("MRZ", "blue"), "ocr": ("OCR", "orange"),
                 "manual": ("Nhập tay", "grey")}


class IdPrefillForm:
    """Use: `form = IdPrefillForm(on_read=...)`; later `form.values()` gives the confirmed fields
    (dates as YYYY-MM-DD strings, empty fields as None); `form.scan_bytes`/`form.scan_name` hold
    the first uploaded file, `form.data` the raw reading."""

    def __init__(self, max_bytes: int = 5 * 1024 * 1024,
                 on_read: Callable[[IdCardData], Awaitable[None] | None] | None = None):
        self.max_bytes = max_bytes
        self.on_read = on_read
        self.scan_bytes: bytes | None = None
        self.scan_name: str | None = None
        self.data: IdCardData | None = None
        self._sources: dict[str, str] = {}
        self._inputs: dict[str, ui.input] = {}
        self._badges: dict[str, ui.badge] = {}
        self._notes: dict[str, ui.label] = {}
        with ui.column().classes("w-full gap-2") as self.container:
            self.upload = ui.upload(label="Ảnh/PDF thẻ căn cước (mặt trước và mặt sau)", multiple=True,
                                    max_files=2, auto_upload=True, on_multi_upload=self._handle_upload) \
                .props(f'accept="{ACCEPT}" capture=environment').classes("w-full")
            with ui.row().classes("items-center gap-2") as self.spinner_row:
                ui.spinner(size="md")
                ui.label("Đang đọc thẻ…")
            self.spinner_row.set_visibility(False)
            for name in FIELDS:
                with ui.row().classes("items-center w-full no-wrap"):
                    self._inputs[name] = ui.input(FIELD_LABELS_VI[name],
                                                  on_change=lambda e, n=name: self._edited(n)) \
                        .classes("grow").props(f'data-field="{name}"')
                    self._badges[name] = ui.badge("Nhập tay", color="grey")
                self._notes[name] = ui.label().classes("text-orange-800 text-sm")
                self._notes[name].set_visibility(False)
            self.general_warnings = ui.column().classes("gap-1")

    def values(self) -> dict:
        """Confirmed values; dates as YYYY-MM-DD when they parse as dd/mm/yyyy, else as typed."""
        out = {}
        for name in FIELDS:
            text = (self._inputs[name].value or "").strip() or None
            if text and name in DATE_FIELDS:
                found = find_dates(text)
                text = found[0].isoformat() if found else text
            out[name] = text
        return out

    def sources(self) -> dict[str, str]:
        return {name: self._sources.get(name, "manual") for name in FIELDS}

    async def _handle_upload(self, event) -> None:
        files = []
        for upload in event.files:
            data = await upload.read()
            refusal = check_upload(upload.name, data, self.max_bytes)
            if refusal:
                ui.notify(refusal, type="negative")
                return
            files.append((upload.name, data))
        self.upload.reset()
        await self.read_files(files)

    async def read_files(self, files: list[tuple[str, bytes]]) -> None:
        self.spinner_row.set_visibility(True)
        try:
            data = await run.cpu_bound(read_id_files, files)
        except IdCardReadError as exc:
            ui.notify(exc.message_vi, type="negative", multi_line=True)
            return
        except Exception:
            ui.notify("Không đọc được thẻ do lỗi hệ thống; hãy nhập tay hoặc thử lại.", type="negative")
            return
        finally:
            self.spinner_row.set_visibility(False)
        self.scan_name, self.scan_bytes = files[0]
        self.show(data)
        if self.on_read:
            result = self.on_read(data)
            if result is not None:
                await result

    def show(self, data: IdCardData) -> None:
        self.data = data
        values = data.to_json_dict()
        self._sources = dict(data.sources)
        for name in FIELDS:
            value = values[name]
            self._inputs[name].set_value(_display(value))
            self._set_badge(name, self._sources.get(name, "manual"))
        self._show_warnings(data.warnings)

    def _edited(self, name: str) -> None:
        if self.data is None:
            return
        read = _display(self.data.to_json_dict()[name])
        if (self._inputs[name].value or "") != read:
            self._sources[name] = "manual"
            self._set_badge(name, "manual")

    def _set_badge(self, name: str, source: str) -> None:
        text, color = SOURCE_BADGES[source]
        self._badges[name].set_text(text)
        self._badges[name].props(f"color={color}")

    def _show_warnings(self, warnings: list[str]) -> None:
        general = []
        per_field: dict[str, list[str]] = {}
        for warning in warnings:
            field = next((n for n in FIELDS if warning.startswith(FIELD_LABELS_VI[n])), None)
            (per_field.setdefault(field, []) if field else general).append(warning)
        for name in FIELDS:
            self._notes[name].set_text(" ".join(per_field.get(name, [])))
            self._notes[name].set_visibility(bool(per_field.get(name)))
        self.general_warnings.clear()
        with self.general_warnings:
            for warning in general:
                ui.label(f"⚠ {warning}").classes("text-orange-800 text-sm")


def check_upload(name: str, data: bytes, max_bytes: int) -> str | None:
    """A Vietnamese refusal message, or None when the file may be read. The shared checks of
    app.uploads (type from the content, broken/encrypted/active PDF, image bombs, zip bombs, names)."""
    from app.uploads import UploadRejected, check_upload as check_shared, sniff

    if data and sniff(data) == "doc":
        return f"Tệp «{name}» là Word cũ (.doc); hãy lưu lại dưới dạng .docx hoặc PDF."
    try:
        check_shared(data, name, ALLOWED_KINDS, max_bytes, max_pages=MAX_PAGES)
    except UploadRejected as exc:
        return exc.message_vi
    return None


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    return str(value)
