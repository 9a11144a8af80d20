"""One dossier's signing or sealing from a work queue, bounded (SIGNING_TIMEOUT_S): a result line or a
Vietnamese message, never a spinner turning on; past the bound the service stops and writes nothing."""
from __future__ import annotations

from typing import TYPE_CHECKING

from nicegui import ui

from app.long_work import Watch, signing_timeout
from app.web.actions import failure_text, run_steps
from components.long_action import watched
from components.remote_sign import approve_remote
from components.step_progress import StepProgress
from domain.access import CurrentUser

if TYPE_CHECKING:
    from components.work_queue import QueueSpec


async def perform(spec: QueueSpec, dossier_id: int, addr: str, where: ui.element) -> tuple[str, bool, bool]:
    """(result text, success, halted) for one dossier; the failure is shown as its line, not notified.
    Meanwhile `where` shows what the signing is doing (a thick copy takes a while)."""
    with StepProgress(where) as progress:
        # bounded (SIGNING_TIMEOUT_S): past it the service stops at its next step and writes nothing
        watch = Watch(signing_timeout(), report=progress)
        try:
            done = await watched(run_steps(spec.act, dossier_id, addr, right=spec.right, slow=True,
                                            record=("dossier", dossier_id), notify=False, progress=watch),
                                 watch)
        except Exception as exc:  # noqa: BLE001 — given up, or a failure outside the action: a line, not a spinner
            return f"Hồ sơ #{dossier_id}: {failure_text(exc)}", False, False
    if not done.ok:
        return f"Hồ sơ #{dossier_id}: {done.error}", False, done.halted
    if spec.after is not None:
        spec.after()
    return done.value, True, False


async def approved(user: CurrentUser, role: str, ids: list[int], addr: str, where: ui.element) -> bool:
    """The remote approval (components.remote_sign); its own failure is a result line, not a stuck button."""
    try:
        return await approve_remote(user, role, ids, addr)
    except Exception as exc:  # noqa: BLE001
        with where:
            result_line(failure_text(exc), False)
        return False


def result_line(text: str, ok: bool) -> None:
    with ui.row().classes("items-center gap-2 no-wrap"):
        ui.icon("check_circle" if ok else "error", color="positive" if ok else "negative")
        ui.label(text).classes("text-positive" if ok else "text-negative").mark(
            "result-ok" if ok else "result-error"
        )
