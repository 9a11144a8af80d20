"""The public verification link of a certified copy: the address, a copy button and a QR code."""

from __future__ import annotations

import base64
import io
from functools import lru_cache

from nicegui import ui

from app.settings import get_settings


def verify_url(code: str) -> str:
    return f"{get_settings().base_url}/verify/{code}"


@lru_cache(maxsize=512)
def qr_png(text: str) -> bytes:
    import qrcode

    image = qrcode.make(text, box_size=4, border=2)
    buf = io.BytesIO()
    image.save(buf)
    return buf.getvalue()


def verify_link_block(code: str, *, qr: bool = True) -> None:
    url = verify_url(code)
    with ui.row().classes("items-center gap-2 flex-wrap"):
        if qr:
            ui.image("data:image/png;base64," + base64.b64encode(qr_png(url)).decode()).classes(
                "w-28 h-28"
            ).props("alt='Mã QR tra cứu'")
        with ui.column().classes("gap-1"):
            ui.label("Đường dẫn tra cứu (gửi cho ngân hàng, trường học… để kiểm tra):").classes(
                "text-sm text-gray-600"
            )
            ui.link(url, url, new_tab=True).classes("break-all").mark("verify-link")
            ui.button(
                "Sao chép đường dẫn",
                icon="content_copy",
                on_click=lambda: (ui.clipboard.write(url), ui.notify("Đã sao chép đường dẫn tra cứu.")),
            ).props("outline dense").mark("copy-link")
