"""Đóng dấu, cấp số — /queue/seal (seal_copy): dossiers the leader signed; the register gives each
original its number and the office's signature is applied; the requester's copies then go out
(e-mail, SMS) in the background."""

from __future__ import annotations

from nicegui import ui

from app.signing import sign_seal
from app.signing.sign_seal import Progress
from app.views.queues import queue_counts
from app.web.auth import client_addr
from app.web.jobs import deliver_soon
from components.dashboard import DASHBOARD_WIDGETS, add_widget
from components.due_badge import badge_counts_row
from components.frame import frame, official_page
from components.remote_sign import OFFICE
from components.work_queue import QueueSpec, queue_detail, queue_list
from domain.access import CurrentUser
from domain.rights import Right
from domain.unit_of_work import Units
from domain.workflow import SIGNED


def seal_one(units: Units, user: CurrentUser, dossier_id: int, addr: str, progress: Progress | None = None
             ) -> str:
    """Runs in a worker thread (app.web.actions.run_steps); delivery starts after (SPEC.after);
    `progress` hears each step (waiting for the office's turn, sealing and time-stamping, recording)."""
    entries = sign_seal.seal(units, user, dossier_id, addr, progress)
    numbers = ", ".join(f"số {e.number_text} (quyển {e.book}) cho «{e.document_title}»" for e in entries)
    return f"Đã đóng dấu, cấp {numbers}."


SPEC = QueueSpec(
    state=SIGNED,
    path="/queue/seal",
    action_label="Đóng dấu, cấp số",
    action_icon="verified",
    empty_text="Không có hồ sơ nào chờ đóng dấu, cấp số.",
    right=Right.SEAL_COPY,
    act=seal_one,
    after=deliver_soon,
    remote_role=OFFICE,
)


def add_routes() -> None:
    add_widget(DASHBOARD_WIDGETS, seal_widget)


@official_page("/queue/seal", right=Right.SEAL_COPY)
def seal_queue_page(user) -> None:
    with frame("Hồ sơ chờ đóng dấu, cấp số", user):
        queue_list(user, SPEC, client_addr())


@official_page("/queue/seal/{dossier_id}", right=Right.SEAL_COPY)
def seal_dossier_page(user, dossier_id: int) -> None:
    with frame("Đóng dấu, cấp số chứng thực", user):
        queue_detail(user, SPEC, dossier_id, client_addr())


def seal_widget(user: CurrentUser) -> None:
    if not user.has(Right.SEAL_COPY):
        return
    counts = queue_counts(user, SIGNED)
    with (
        ui.card()
        .classes("w-full cursor-pointer")
        .on("click", lambda: ui.navigate.to("/queue/seal"))
        .mark("widget-seal")
    ):
        ui.label(f"Chờ đóng dấu, cấp số: {sum(counts.values())} hồ sơ").classes("font-bold")
        badge_counts_row(counts)
