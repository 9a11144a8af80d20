"""The scan of one original: upload files or take photos with the tablet camera, see page thumbnails,
rotate / move / delete a page. Every upload goes through app.intake.scans.check_scan (app.intake.uploads).

Files picked together arrive in one request (Quasar's batch upload) and are attached one after the
other in the order the official picked them; only the thumbnails are redrawn while they land, never
the upload controls, and the whole dossier (page count, fee) is redrawn once the last one is in."""
from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable

from nicegui import context, run, ui

from app.dossier_service import attach_scan, scan_pages
from app.intake.capture import capture_jpeg
from app.intake.scans import thumbnail_url
from app.intake.uploads import UploadRejected
from app.long_work import Watch, upload_timeout
from app.web.actions import failure_text, run_action, run_steps
from components.dossier_common import notify_error
from components.long_action import spinning, watched
from domain.access import CurrentUser
from domain.dossiers import edit_scan_page
from domain.rights import Right

log = logging.getLogger(__name__)

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
SCAN_HELP = (
    "Tải lên tệp PDF, JPEG hoặc PNG (có thể chọn nhiều tệp cùng lúc: các trang được xếp theo thứ tự "
    "đã chọn), hoặc chụp từng trang bằng camera của máy tính bảng. Bản scan phải gồm mọi trang có thông "
    "tin của bản chính."
)
PAGE_ACTIONS = (("rotate", "rotate_right", "Xoay phải 90°"), ("up", "arrow_back", "Chuyển lên trước"),
                ("down", "arrow_forward", "Chuyển xuống sau"), ("delete", "delete", "Xóa trang"))

# One upload batch at a time per original in this process: a second batch waits for the first,
# so pages keep the order in which their batches were picked.
# Weak values: a lock lives only while a batch holds it, so the table does not grow with every original.
_BATCH_LOCKS: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()


async def scan_editor(user: CurrentUser, original_id: int, key: str, pages: list, editable: bool, addr: str,
                      on_change: Callable[[], Awaitable[None]]) -> None:
    """Draw the thumbnails (rendered off the event loop) and, when editable, the upload controls."""
    thumbs = ui.column().classes("w-full gap-1")
    await _draw_pages(thumbs, pages, key, editable, lambda action, page_id: edit(action, page_id))
    if not editable:
        return
    ui.label(SCAN_HELP).classes("text-sm text-gray-700")
    # The uploads call received, defined below once the progress and status labels exist.
    _upload_controls(key, lambda files, camera=False, uploader=None: received(files, camera, uploader))
    # Photos: page found, perspective corrected, upright (app/intake/capture.py); off keeps the raw photo.
    straighten = ui.switch("Ảnh chụp: tự động cắt và nắn thẳng trang", value=True) \
        .props(f"data-testid=scan-straighten-{key}").mark(f"scan-straighten-{key}")
    progress = ui.row().classes("items-center gap-2").mark(f"scan-progress-{key}")
    progress.set_visibility(False)
    with progress:
        ui.spinner(size="sm")
        progress_text = ui.label().props(f"data-testid=scan-progress-{key}")
    # each file of the last batch: a line, kept for this page across the redraw that follows the batch
    status = ui.column().classes("gap-0").mark(f"scan-result-{key}").props(f"data-testid=scan-result-{key}")
    _show_results(status, context.client.storage.pop(_results_key(original_id), []))

    async def received(files: list, camera: bool = False, uploader=None) -> None:
        """Attach the picked files in the order picked; show each file's pages as they land."""
        results: list[tuple[bool, str]] = []  # (taken, line): one a file, in the order picked
        added = 0
        lock = _BATCH_LOCKS.setdefault(original_id, asyncio.Lock())
        async with lock, spinning(progress):  # hidden however the batch ends
            try:
                for number, upload in enumerate(files, 1):
                    _set_text(progress_text, f"Đang nhận tệp {number}/{len(files)}: «{upload.name}»…")
                    data = await upload.read()
                    if camera:
                        data = await _straightened(data, straighten.value)
                    done = await _attach(original_id, data, upload.name, addr)
                    if not done.ok:
                        results.append((False, done.error))
                        if isinstance(done.exception, UploadRejected):
                            continue
                        # the dossier cannot take pages now (e.g. already submitted), or the session is gone
                        break
                    added += done.value
                    results.append((True, f"«{upload.name}»: {done.value} trang"))
                    if not thumbs.is_deleted:
                        current = await run.io_bound(scan_pages, original_id)
                        await _draw_pages(thumbs, current, key, True, edit)
            except Exception as exc:  # noqa: BLE001 — each file is stored whole or not at all: say so, stop
                results.append((False, f"«{upload.name}»: {failure_text(exc)}"))
        if not all(taken for taken, _ in results) and uploader is not None and not uploader.is_deleted:
            uploader.reset()  # no ✓ left beside a refused file: the refusal is said below, in red
        _report(status, added, len(files), results)
        if added:  # the dossier is redrawn (page count, fee): the lines shown again under the new uploader
            context.client.storage[_results_key(original_id)] = results
            await on_change()

    async def edit(action: str, page_id: int) -> None:
        await run_action(
            edit_scan_page, page_id, action, addr, right=Right.CREATE_COPY, record=("scan_page", page_id)
        )
        await on_change()


def _upload_controls(key: str, received) -> None:
    """File upload and camera; both hand the picked files, in order, to received(files, camera)."""
    with ui.row().classes("w-full gap-2 flex-wrap"):
        ui.upload(label="Tải lên bản scan (PDF, JPEG, PNG)", multiple=True, auto_upload=True,
                  on_multi_upload=lambda e: received(e.files, uploader=e.sender)) \
            .props(f'accept="{ACCEPT}" data-testid=scan-upload-{key}').classes("grow min-w-60") \
            .mark(f"scan-upload-{key}")
        ui.upload(
            label="Chụp ảnh bằng camera",
            multiple=True,
            auto_upload=True,
            on_multi_upload=lambda e: received(e.files, camera=True, uploader=e.sender),
        ).props(f'accept="image/*" capture=environment data-testid=scan-camera-{key}').classes(
            "grow min-w-60"
        ).mark(f"scan-camera-{key}")


async def _attach(original_id: int, data: bytes, name: str, addr: str):
    """One file attached in its own transaction; the outcome (ok, value, error, exception) is returned.
    Bounded (UPLOAD_TIMEOUT_S): past it GaveUp, and the file is not stored."""
    watch = Watch(upload_timeout())
    return await watched(run_steps(
        attach_scan,
        original_id,
        data,
        name,
        addr,
        right=Right.CREATE_COPY,
        record=("original", original_id),
        notify=False,
        watch=watch,
    ), watch)


async def _draw_pages(container, pages: list, key: str, editable: bool, edit) -> None:
    urls = []
    for page in pages:
        try:
            urls.append(await run.io_bound(thumbnail_url, page.file_sha256, page.page_index, page.rotation))
        except Exception:  # noqa: BLE001 — a missing/broken file must not break the whole page
            log.warning("thumbnail of %s page %s failed", page.file_sha256, page.page_index, exc_info=True)
            urls.append(None)
    if container.is_deleted:
        return
    container.clear()
    with container:
        ui.label(f"Bản scan: {len(pages)} trang").classes("font-medium").mark(f"scan-count-{key}")
        with ui.row().classes("w-full gap-2 flex-wrap"):
            for index, (page, url) in enumerate(zip(pages, urls, strict=False), 1):
                _page_card(page, url, key, index, editable, edit)


def _page_card(page, url: str | None, key: str, index: int, editable: bool, edit) -> None:
    with ui.card().classes("p-1 items-center gap-1").props(f"data-testid=scan-page-{key}-{index}"):
        if url:
            ui.image(url).classes("w-32 border").props(f'alt="Trang {index}"')
        else:
            ui.label("Không hiển thị được trang").classes("text-red-700 w-32 text-sm")
        label = f"Trang {index}" + (f" · xoay {page.rotation}°" if page.rotation else "")
        ui.label(label).classes("text-xs").mark(f"scan-label-{key}-{index}")
        if editable:
            with ui.row().classes("gap-0 no-wrap"):
                for action, icon, tip in PAGE_ACTIONS:
                    ui.button(icon=icon, on_click=lambda a=action, p=page.id: edit(a, p)) \
                        .props(f"flat round data-testid=scan-{action}-{key}-{index} aria-label='{tip}'") \
                        .classes("ct-touch") \
                        .tooltip(tip).mark(f"scan-{action}-{key}-{index}")


async def _straightened(data: bytes, crop: bool) -> bytes:
    """The photo upright (and cropped to the page when asked); an unreadable picture is left to the checks."""
    try:
        return await run.cpu_bound(capture_jpeg, data, crop)
    except Exception:  # noqa: BLE001 — not a picture: attach_scan refuses it with its own message
        return data


def _set_text(label, text: str) -> None:
    if not label.is_deleted:
        label.set_text(text)


def _results_key(original_id: int) -> str:
    return f"scan-results-{original_id}"


def _show_results(status, results: list[tuple[bool, str]]) -> None:
    """One line a file: a refused one red with its message, a taken one green with its pages."""
    status.clear()
    with status:
        for taken, text in results:
            if taken:
                ui.label(f"✓ {text}").classes("text-green-800")
            else:
                ui.label(f"✗ {text}").classes("text-red-700").props("role=alert")


def _report(status, added: int, picked: int, results: list[tuple[bool, str]]) -> None:
    """Say what was added and what was refused; the page may have been redrawn meanwhile."""
    if status.is_deleted:
        return
    _show_results(status, results)
    if added:
        ui.notify(f"Đã thêm {added} trang từ {picked} tệp.", type="positive")
    for taken, message in results:
        if not taken:
            notify_error(message)
