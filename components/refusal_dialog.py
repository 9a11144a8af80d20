"""The refusal dialog (SPEC C7, Decree 23 Art. 9 and 22): one or more grounds, an explanation, then the
written notice is made, stored, queued to the requester and the dossier ends."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from app.dossier_service import refuse_with_notice
from app.web.actions import run_action
from domain.access import CurrentUser
from domain.refusal import REFUSAL_GROUNDS, ground_citation


def open_refusal_dialog(user: CurrentUser, dossier_id: int, addr: str, preselected: str | None,
                        on_done: Callable[[], Awaitable[None]]) -> None:
    with ui.dialog() as dialog, ui.card().classes("w-full max-w-2xl"):
        ui.label("Từ chối chứng thực").classes("text-lg font-bold text-red-900")
        ui.label(
            "Chọn một hoặc nhiều lý do theo Điều 22 Nghị định 23/2015/NĐ-CP và giải thích cụ thể. Thông báo "
            "bằng văn bản sẽ được lập, lưu vào hồ sơ và gửi cho người yêu cầu."
        ).classes("text-sm")
        boxes = {}
        for code, text in REFUSAL_GROUNDS.items():
            boxes[code] = ui.checkbox(f"{text} ({ground_citation(code)})", value=code == preselected) \
                .props(f"data-testid=ground-{code}").mark(f"ground-{code}")
        note = ui.textarea("Giải thích cho người yêu cầu").classes("w-full") \
            .props("data-testid=refusal-note").mark("refusal-note")
        error = ui.label().classes("text-red-700").mark("refusal-error")
        with ui.row():
            confirm = ui.button("Lập thông báo và từ chối", icon="block", on_click=lambda: confirmed()) \
                .props("color=negative data-testid=refusal-confirm").mark("refusal-confirm")
            ui.button("Đóng", on_click=dialog.close).props("flat")

    async def confirmed() -> None:
        grounds = [code for code, box in boxes.items() if box.value]
        if not grounds:
            error.set_text("Vui lòng chọn ít nhất một lý do từ chối.")
            return
        if not (note.value or "").strip():
            error.set_text("Vui lòng ghi rõ giải thích cho người yêu cầu.")
            return
        confirm.disable()
        # the right depends on the dossier's state: the use case checks it
        if not (await run_action(refuse_with_notice, dossier_id, grounds, note.value, addr,
                                 record=("dossier", dossier_id), message=error)).ok:
            confirm.enable()
            return
        dialog.close()
        ui.notify("Đã từ chối chứng thực và lập thông báo bằng văn bản.", type="positive")
        await on_done()

    dialog.open()
