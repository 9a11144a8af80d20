"""Keeps the intake form's draft on the server while the clerk types, and offers it back on the next visit
(after the idle limit and a new sign-in the typed name and ID are not lost)."""
from __future__ import annotations

from nicegui import run, ui

from app.intake.intake_drafts import drop_draft, has_content, load_draft, save_draft
from components.requester_form import RequesterForm
from domain.clock import format_local

SAVE_EVERY_SECONDS = 2.0


class DraftKeeper:
    def __init__(self, account_id: int, form: RequesterForm, offer_box: ui.column):
        self.account_id, self.form, self.dirty = account_id, form, False
        form.on_typed(self._typed)
        self.timer = ui.timer(SAVE_EVERY_SECONDS, self.save_now)
        found = load_draft(account_id)
        if found is not None:
            with offer_box:
                self._offer(*found)

    def _offer(self, data: dict, saved_at) -> None:
        who = " — ".join(v for v in (data.get("name"), data.get("id_number")) if v)
        with ui.card().classes("w-full bg-orange-50 border border-orange-300").mark("draft-offer") \
                .props("data-testid=draft-offer role=status") as self.offer:
            ui.label(f"Có hồ sơ đang nhập dở, lưu lúc {format_local(saved_at)}: {who or 'chưa có tên'}.") \
                .classes("font-medium")
            with ui.row().classes("gap-2"):
                ui.button("Khôi phục", icon="restore", on_click=lambda: self._restore(data)) \
                    .props("color=primary data-testid=draft-restore").mark("draft-restore")
                ui.button("Bỏ bản nháp", icon="delete", on_click=self._discard) \
                    .props("outline data-testid=draft-discard").mark("draft-discard")

    def _restore(self, data: dict) -> None:
        self.form.restore(data)
        self.offer.delete()
        ui.notify("Đã khôi phục thông tin đang nhập dở.", type="positive")

    async def _discard(self) -> None:
        await run.io_bound(drop_draft, self.account_id)
        self.offer.delete()

    def _typed(self) -> None:
        self.dirty = True

    async def save_now(self) -> None:
        """Save what was typed since the last save (also before an action that may meet the idle limit)."""
        if not self.dirty:
            return
        self.dirty = False
        data = self.form.draft()
        if has_content(data):
            await run.io_bound(save_draft, self.account_id, data)

    async def done(self) -> None:
        """The dossier is open: the draft has served."""
        self.timer.deactivate()
        await run.io_bound(drop_draft, self.account_id)
