"""The scan of one original: upload files or take photos with the tablet camera, see page thumbnails,
rotate / move / delete a page. Every upload goes through app.scans.check_scan (app.uploads)."""
from __future__ import annotations

from typing import Awaitable, Callable

from nicegui import run, ui

from app.dossier_service import attach_scan
from app.scans import thumbnail_url
from app.uploads import UploadRejected
from components.dossier_common import KNOWN_ERRORS, error_text, notify_error, run_write
from domain.access import CurrentUser
from domain.dossiers import edit_scan_page

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
SCAN_HELP = ("Tải lên tệp PDF, JPEG hoặc PNG (có thể chọn nhiều tệp), hoặc chụp từng trang bằng camera của máy "
             "tính bảng. Bản scan phải gồm mọi trang có thông tin của bản chính.")


async def scan_editor(user: CurrentUser, original_id: int, key: str, pages: list, editable: bool, addr: str,
                      on_change: Callable[[], Awaitable[None]]) -> None:
    """Draw the thumbnails (rendered off the event loop) and, when editable, the upload controls."""
    urls = []
    for page in pages:
        try:
            urls.append(await run.io_bound(thumbnail_url, page.file_sha256, page.page_index, page.rotation))
        except Exception:  # noqa: BLE001 — a missing/broken file must not break the whole page
            urls.append(None)
    ui.label(f"Bản scan: {len(pages)} trang").classes("font-medium").mark(f"scan-count-{key}")
    with ui.row().classes("w-full gap-2 flex-wrap"):
        for index, (page, url) in enumerate(zip(pages, urls)):
            with ui.card().classes("p-1 items-center gap-1").props(f"data-testid=scan-page-{key}-{index + 1}"):
                if url:
                    ui.image(url).classes("w-32 border")
                else:
                    ui.label("Không hiển thị được trang").classes("text-red-700 w-32 text-sm")
                label = f"Trang {index + 1}" + (f" · xoay {page.rotation}°" if page.rotation else "")
                ui.label(label).classes("text-xs").mark(f"scan-label-{key}-{index + 1}")
                if editable:
                    with ui.row().classes("gap-0 no-wrap"):
                        for action, icon, tip in (("rotate", "rotate_right", "Xoay phải 90°"),
                                                  ("up", "arrow_back", "Chuyển lên trước"),
                                                  ("down", "arrow_forward", "Chuyển xuống sau"),
                                                  ("delete", "delete", "Xóa trang")):
                            ui.button(icon=icon, on_click=lambda a=action, p=page.id: edit(a, p)) \
                                .props(f"flat dense round data-testid=scan-{action}-{key}-{index + 1} "
                                       f"aria-label='{tip}'").tooltip(tip).mark(f"scan-{action}-{key}-{index + 1}")
    if not editable:
        return
    ui.label(SCAN_HELP).classes("text-sm text-gray-700")
    with ui.row().classes("w-full gap-2 flex-wrap"):
        ui.upload(label="Tải lên bản scan (PDF, JPEG, PNG)", multiple=True, auto_upload=True,
                  on_upload=lambda e: received(e)) \
            .props(f'accept="{ACCEPT}" data-testid=scan-upload-{key}').classes("grow min-w-60").mark(f"scan-upload-{key}")
        ui.upload(label="Chụp ảnh bằng camera", multiple=True, auto_upload=True, on_upload=lambda e: received(e)) \
            .props(f'accept="image/*" capture=environment data-testid=scan-camera-{key}').classes("grow min-w-60") \
            .mark(f"scan-camera-{key}")
    status = ui.label().classes("text-red-700").mark(f"scan-error-{key}").props(f"data-testid=scan-error-{key}")

    async def received(event) -> None:
        upload = event.file
        data = await upload.read()
        try:
            count = await run.io_bound(attach_scan, user, original_id, data, upload.name, addr)
        except UploadRejected as exc:
            status.set_text(exc.message_vi)
            notify_error(exc.message_vi)
            return
        except KNOWN_ERRORS as exc:
            notify_error(error_text(exc))
            return
        ui.notify(f"Đã thêm {count} trang từ «{upload.name}».", type="positive")
        await on_change()

    async def edit(action: str, page_id: int) -> None:
        _, error = run_write(edit_scan_page, user, page_id, action, addr)
        if error:
            notify_error(error)
        await on_change()
