"""Step 2: the scan of the ID card (both sides, one file) is checked, stored and read; the official
confirms each field against the card."""
from __future__ import annotations

from collections.abc import Callable

from nicegui import ui
from nicegui.events import UploadEventArguments

from app.files import store_bytes
from app.intake.uploads import MIME, UploadRejected, accept_attribute, check_size, check_upload
from components.citizen_desk import run_desk
from components.id_prefill import IdPrefillForm
from domain import citizen_accounts as desk
from domain.idcard import IdCardData

MAX_SCAN_BYTES = 5 * 1024 * 1024
SCAN_KINDS = {"pdf", "docx", "doc", "jpeg", "png"}
SCAN_PAGES = 4
HELP_SCAN = ("Quét hoặc chụp cả hai mặt thẻ vào một tệp: .pdf, .docx, .doc, hoặc ảnh JPEG/PNG chụp từ máy "
             "tính bảng; tối đa 5 MB. Tệp .doc được lưu nhưng không đọc tự động được.")


def store_scan(session, user, id_number: str, data: bytes, kind: str, name: str) -> str:
    sha256 = store_bytes(data, MIME[kind], session)
    desk.record_id_scan(session, user, id_number, sha256, name, kind)
    return sha256


class ScanStep:
    """`id_number()` is the number looked up; `scan_sha` the stored scan (None until one is stored)."""

    def __init__(self, id_number: Callable[[], str | None]):
        self.id_number, self.scan_sha = id_number, None
        with ui.card().classes("w-full"):
            ui.label("2. Bản chụp CCCD/CMND và thông tin công dân").classes("font-bold")
            ui.label(HELP_SCAN).classes("text-sm text-gray-700")
            self.upload = ui.upload(label="Chọn hoặc chụp tệp (hai mặt thẻ)", auto_upload=True,
                                    max_file_size=MAX_SCAN_BYTES, on_upload=self.on_scan,
                                    on_rejected=lambda: self.show_error(
                                        "Tệp vượt quá 5 MB hoặc không đúng loại; hãy chọn tệp khác.")) \
                .props(f'accept="{accept_attribute(SCAN_KINDS)}" data-testid=scan-upload') \
                .classes("w-full").mark("scan-upload")
            self.status = ui.label().mark("scan-status").props("data-testid=scan-status")
            self.form = IdPrefillForm(max_bytes=MAX_SCAN_BYTES)
            self.form.upload.set_visibility(False)  # one file, checked here (A8), .doc kept unread
            self.mismatch = ui.label().classes("text-orange-800").mark("id-mismatch")

    def restart(self, id_number: str) -> None:
        """Another number was looked up: forget the scan, start the form from the number."""
        self.scan_sha = None
        self.status.text = ""
        self.form.show(IdCardData(id_number=id_number))

    def show_error(self, message: str) -> None:
        self.status.text = message
        self.status.classes(replace="text-red-700")
        ui.notify(message, type="negative", multi_line=True)

    async def on_scan(self, event: UploadEventArguments) -> None:
        self.upload.reset()
        file = event.file
        try:
            check_size(file.size(), file.name, MAX_SCAN_BYTES)
            data = await file.read()
            kind = check_upload(data, file.name, SCAN_KINDS, MAX_SCAN_BYTES, SCAN_PAGES)
        except UploadRejected as exc:
            self.show_error(exc.message)
            return
        outcome = await run_desk(store_scan, self.id_number(), data, kind, file.name)
        if not outcome.ok:
            self.show_error(outcome.error)
            return
        self.scan_sha = outcome.value
        self.status.classes(replace="text-green-800")
        if kind == "doc":
            self.status.text = (f"Đã lưu bản chụp «{file.name}». Tệp Word cũ (.doc) không đọc tự động được: "
                                "hãy nhập thông tin theo thẻ và kiểm tra kỹ.")
            return
        self.status.text = f"Đã lưu bản chụp «{file.name}». Đang đọc thông tin trên thẻ…"
        await self._read(file.name, data)

    async def _read(self, name: str, data: bytes) -> None:
        before = self.form.data
        await self.form.read_files([(name, data)])
        if self.form.data is before:
            self.status.text = (f"Đã lưu bản chụp «{name}», nhưng không đọc tự động được thông tin trên "
                                "thẻ: hãy nhập tay theo thẻ.")
            return
        read_id, looked_up = self.form.values().get("id_number"), self.id_number()
        self.status.text = (f"Đã lưu bản chụp «{name}». Hãy đối chiếu từng trường với thẻ và sửa nếu sai "
                            "(nhãn bên phải cho biết nguồn: QR, MRZ, OCR hay nhập tay).")
        self.mismatch.text = (f"Số định danh đọc từ thẻ ({read_id}) khác số đã tra cứu ({looked_up}). "
                              "Hãy kiểm tra lại; nếu số trên thẻ đúng, hãy tra cứu lại số đó."
                              if read_id and read_id != looked_up else "")
