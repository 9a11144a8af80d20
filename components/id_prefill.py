"""ID pre-fill form: upload a card scan, read it off the event loop, let staff confirm each field.

Every read field shows its source (QR, MRZ, OCR) and how sure it is ("Tin cậy: cao / trung bình /
thấp", from how many sources agree); a value a check digit confirms shows "MRZ ✓".
Fields read by OCR only, or with a warning, are marked "cần kiểm tra" and count as confirmed
only once the official ticks them (one tap confirms every QR/MRZ field without a warning).
A field the official types is confirmed by typing it. `confirmed_values()` is what may be copied.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import date

from nicegui import run, ui

from app.idcard import read_id_files
from app.long_work import idcard_timeout, offer_typing_after
from components.long_action import bounded, renew_process_pool
from domain.idcard import FIELD_LABELS_VI, FIELDS, IdCardData, IdCardReadError
from domain.idcard.confidence import LABELS_VI as CONFIDENCE_VI
from domain.idcard.provinces import province_name
from domain.idcard.result import DATE_FIELDS
from domain.idcard.text import find_dates

log = logging.getLogger(__name__)

ACCEPT = ".jpg,.jpeg,.png,.pdf,.docx,.doc"
ALLOWED_KINDS = {"jpeg", "png", "pdf", "docx"}
MAX_PAGES = 4  # both sides of a card, perhaps one page each plus a cover
SOURCE_BADGES = {"qr": ("QR", "green"), "mrz": ("MRZ", "blue"), "ocr": ("OCR", "orange"),
                 "manual": ("Nhập tay", "grey")}
CHECK_VI = "cần kiểm tra"
CONFIDENCE_COLORS = {"high": "green", "medium": "amber", "low": "red"}
READ_FAILED = "Không đọc được thẻ do lỗi hệ thống; hãy nhập tay theo thẻ hoặc thử lại."
READ_TOO_LONG = "Đọc thẻ quá {seconds:g} giây nên đã dừng; hãy nhập tay theo thẻ hoặc thử lại."


class IdPrefillForm:
    """Use: `form = IdPrefillForm(on_read=...)`; later `form.confirmed_values()` gives the fields the
    official confirmed, `form.values()` every field as shown (dates as YYYY-MM-DD, empty as None);
    `form.scan_bytes`/`form.scan_name` hold the first uploaded file, `form.data` the raw reading."""

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
        self._checks: dict[str, ui.badge] = {}
        self._trust: dict[str, ui.badge] = {}
        self._confirm: dict[str, ui.checkbox] = {}
        self._notes: dict[str, ui.label] = {}
        self._reading: dict = {}
        with ui.column().classes("w-full gap-2") as self.container:
            self.upload = ui.upload(label="Ảnh/PDF thẻ căn cước (mặt trước và mặt sau)", multiple=True,
                                    max_files=2, auto_upload=True, on_multi_upload=self._handle_upload) \
                .props(f'accept="{ACCEPT}" capture=environment').classes("w-full")
            with ui.row().classes("items-center gap-2") as self.spinner_row:
                ui.spinner(size="md")
                self.progress = ui.label("Đang đọc thẻ…").mark("id-progress")
                self.type_button = ui.button("Nhập tay, không chờ", on_click=self._type_instead) \
                    .props("flat dense data-testid=id-type-instead")
            self.spinner_row.set_visibility(False)
            self.read_error = ui.label().classes("text-negative font-bold").mark("id-read-failed") \
                .props("role=alert data-testid=id-read-failed")
            self.read_error.set_visibility(False)
            self.confirm_all = ui.button(
                "Xác nhận tất cả trường đã kiểm chứng bằng QR/MRZ",
                icon="done_all",
                on_click=self.confirm_checked,
            ).props("outline data-testid=id-confirm-all")
            self.confirm_all.set_visibility(False)
            for name in FIELDS:
                self._field_row(name)
            self.general_warnings = ui.column().classes("gap-1")
        self._timer = ui.timer(1.0, self._tick, active=False)

    def _field_row(self, name: str) -> None:
        with ui.row().classes("items-center w-full no-wrap gap-1"):
            self._inputs[name] = (
                ui.input(FIELD_LABELS_VI[name], on_change=lambda e, n=name: self._edited(n))
                .classes("grow")
                .props(f'data-field="{name}"')
            )
            self._badges[name] = ui.badge("Nhập tay", color="grey").props(f"data-source={name}")
            self._trust[name] = ui.badge("", color="grey").props(f"outline data-confidence={name}")
            self._trust[name].set_visibility(False)
            self._checks[name] = ui.badge("", color="orange").props(f"outline data-check={name}")
            self._checks[name].set_visibility(False)
            self._confirm[name] = ui.checkbox("Đúng", value=False).props(f"dense data-confirm={name}")
            self._confirm[name].set_visibility(False)
        self._notes[name] = ui.label().classes("text-orange-800 text-sm").props(f"data-note={name}")
        self._notes[name].set_visibility(False)

    # --- values ---------------------------------------------------------------------------

    def values(self) -> dict:
        """Every field as shown; dates as YYYY-MM-DD when they parse as dd/mm/yyyy, else as typed."""
        out = {}
        for name in FIELDS:
            text = (self._inputs[name].value or "").strip() or None
            if text and name in DATE_FIELDS:
                found = find_dates(text)
                text = found[0].isoformat() if found else text
            out[name] = text
        return out

    def confirmed_values(self) -> dict:
        """Only the fields the official confirmed (ticked, or typed by hand)."""
        return {k: v for k, v in self.values().items() if v is not None and self.is_confirmed(k)}

    def is_confirmed(self, name: str) -> bool:
        return self._sources.get(name, "manual") == "manual" or bool(self._confirm[name].value)

    def unconfirmed(self) -> list[str]:
        values = self.values()
        return [n for n in FIELDS if values[n] is not None and not self.is_confirmed(n)]

    def confirm_checked(self) -> None:
        """One tap: confirm every field that the QR or a check digit vouches for and nothing warns about."""
        if self.data is None:
            return
        for name in FIELDS:
            if getattr(self.data, name) is not None and not self.data.needs_check(name) and \
                    (self._sources.get(name) in ("qr", "mrz") or name in self.data.confirmed_by):
                self._confirm[name].set_value(True)

    def sources(self) -> dict[str, str]:
        return {name: self._sources.get(name, "manual") for name in FIELDS}

    # --- reading --------------------------------------------------------------------------

    async def _handle_upload(self, event) -> None:
        self.upload.reset()  # the outcome is said below (a refusal in red): no ✓ left listed beside it
        files = []
        for upload in event.files:
            try:  # the checks decode the image: off the loop, as the read itself
                data = await upload.read()
                refusal = await bounded(run.io_bound(check_upload, upload.name, data, self.max_bytes),
                                        idcard_timeout())
            except Exception:  # noqa: BLE001 — said, and the form stays to type
                log.error("ID card upload check failed", exc_info=True)
                self._failed(READ_FAILED)
                return
            if refusal:
                self._failed(refusal)
                return
            files.append((upload.name, data))
        await self.read_files(files)

    async def read_files(self, files: list[tuple[str, bytes]]) -> None:
        reading = self._reading = {"started": time.monotonic(), "abandoned": False}
        self.read_error.set_visibility(False)
        self.progress.set_text("Đang đọc thẻ…")
        self.type_button.set_visibility(False)
        self.spinner_row.set_visibility(True)
        self._timer.activate()
        try:
            data = await bounded(run.cpu_bound(read_id_files, files), idcard_timeout())
        except TimeoutError:  # a reader stuck past its CPU budget (IDCARD_READ_LIMIT_S): end it, say so
            renew_process_pool()
            if not reading["abandoned"]:
                self._failed(READ_TOO_LONG.format(seconds=idcard_timeout()))
            return
        except IdCardReadError as exc:
            if not reading["abandoned"]:
                ui.notify(exc.message, type="negative", multi_line=True)
            return
        except Exception:  # noqa: BLE001 — the desk can always type the fields
            log.error("ID card reading failed", exc_info=True)
            if not reading["abandoned"]:  # also a reading process that died (BrokenProcessPool)
                self._failed(READ_FAILED)
            return
        finally:
            self._timer.deactivate()
            self.spinner_row.set_visibility(False)
        if data is None or reading["abandoned"]:  # the worker pool is shutting down, or staff typed
            return
        self.scan_name, self.scan_bytes = files[0]
        self.show(data)
        if self.on_read:
            result = self.on_read(data)
            if result is not None:
                await result

    def _failed(self, text: str) -> None:
        """Said where the spinner was (it stays until the next read) and notified; the form stays to type."""
        self.read_error.set_text(text)
        self.read_error.set_visibility(True)
        ui.notify(text, type="negative", multi_line=True)

    def _tick(self) -> None:
        if not self._reading:
            return
        seconds = int(time.monotonic() - self._reading["started"])
        self.progress.set_text(f"Đang đọc thẻ… {seconds} giây")
        if seconds >= offer_typing_after():
            self.progress.set_text(
                f"Đang đọc thẻ… {seconds} giây — lâu hơn bình thường, có thể nhập tay ngay."
            )
            self.type_button.set_visibility(True)

    def _type_instead(self) -> None:
        self._reading["abandoned"] = True
        self._timer.deactivate()
        self.spinner_row.set_visibility(False)
        ui.notify("Hãy nhập thông tin theo thẻ; kết quả đọc tự động (nếu có) sẽ không ghi đè.", type="info")

    # --- showing --------------------------------------------------------------------------

    def show(self, data: IdCardData | None) -> None:
        if data is None:
            return
        self.data = data
        values = data.to_json_dict()
        self._sources = dict(data.sources)
        for name in FIELDS:
            self._inputs[name].set_value(_display(values[name]))
            self._set_badge(name, self._sources.get(name, "manual"))
            read = values[name] is not None
            mark = (
                "MRZ ✓"
                if data.confirmed_by.get(name) == "mrz"
                else CHECK_VI
                if data.needs_check(name)
                else ""
            )
            self._checks[name].set_text(mark)
            self._checks[name].props(f"color={'blue' if mark == 'MRZ ✓' else 'orange'}")
            self._checks[name].set_visibility(read and bool(mark))
            level = data.confidence.get(name)
            self._trust[name].set_text(f"Tin cậy: {CONFIDENCE_VI[level]}" if level else "")
            self._trust[name].props(f"color={CONFIDENCE_COLORS.get(level, 'grey')}")
            self._trust[name].set_visibility(read and bool(level))
            self._confirm[name].set_value(False)
            self._confirm[name].set_visibility(read)
        self.confirm_all.set_visibility(any(values[n] is not None for n in FIELDS))
        self._show_warnings(data)

    def _edited(self, name: str) -> None:
        if self.data is None:
            return
        read = _display(self.data.to_json_dict()[name])
        if (self._inputs[name].value or "") != read:
            self._sources[name] = "manual"
            self._set_badge(name, "manual")
            self._checks[name].set_visibility(False)
            self._trust[name].set_visibility(False)
            self._confirm[name].set_visibility(False)

    def _set_badge(self, name: str, source: str) -> None:
        text, color = SOURCE_BADGES[source]
        self._badges[name].set_text(text)
        self._badges[name].props(f"color={color}")

    def _show_warnings(self, data: IdCardData) -> None:
        for name in FIELDS:
            notes = list(data.field_warnings.get(name, []))
            info = ""
            if name == "id_number" and data.id_number and province_name(data.id_number[:3]):
                info = (
                    f"Mã tỉnh nơi đăng ký khai sinh {data.id_number[:3]}: "
                    f"{province_name(data.id_number[:3])}."
                )
            self._notes[name].set_text(" ".join([info, *notes]).strip())
            self._notes[name].classes(replace="text-sm " + ("text-orange-800" if notes else "text-gray-700"))
            self._notes[name].set_visibility(bool(notes or info))
        self.general_warnings.clear()
        with self.general_warnings:
            for warning in data.general_warnings():
                ui.label(f"⚠ {warning}").classes("text-orange-800 text-sm")


def check_upload(name: str, data: bytes, max_bytes: int) -> str | None:
    """A Vietnamese refusal message, or None when the file may be read. The shared checks of
    app.intake.uploads (type from the content, broken/encrypted/active PDF, image bombs, zip bombs, names)."""
    from app.intake.uploads import UploadRejected, sniff
    from app.intake.uploads import check_upload as check_shared

    if data and sniff(data) == "doc":
        return f"Tệp «{name}» là Word cũ (.doc); hãy lưu lại dưới dạng .docx hoặc PDF."
    try:
        check_shared(data, name, ALLOWED_KINDS, max_bytes, max_pages=MAX_PAGES)
    except UploadRejected as exc:
        return exc.message
    return None


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    return str(value)
