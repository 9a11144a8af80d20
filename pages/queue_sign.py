"""Chờ ký (lãnh đạo) — /queue/sign (sign_copy): dossiers submitted in the office, soonest due first; open one
to see its scans and data; Ký số one or several (pyHanko, off the event loop), or return it for correction."""

from __future__ import annotations

from nicegui import ui

from app.signing import sign_seal
from app.signing.sign_seal import Progress
from app.views.queues import queue_counts
from app.web.auth import client_addr
from components.dashboard import DASHBOARD_WIDGETS, add_widget
from components.due_badge import badge_counts_row
from components.frame import frame, official_page
from components.remote_sign import LEADER
from components.work_queue import QueueSpec, queue_detail, queue_list
from domain.access import CurrentUser
from domain.rights import Right
from domain.unit_of_work import Units
from domain.workflow import SUBMITTED


def sign_one(units: Units, user: CurrentUser, dossier_id: int, addr: str, progress: Progress | None = None
             ) -> str:
    """Runs in a worker thread (app.web.actions.run_steps): pyHanko holds no write lock; `progress`
    hears each step (building, signing and time-stamping) for the page to show."""
    dossier = sign_seal.sign(units, user, dossier_id, addr, progress)
    return f"Đã ký số hồ sơ {dossier.code}; chuyển người quản lý con dấu đóng dấu, cấp số."


SPEC = QueueSpec(
    state=SUBMITTED,
    path="/queue/sign",
    action_label="Ký số",
    action_icon="draw",
    empty_text="Không có hồ sơ nào chờ ký.",
    right=Right.SIGN_COPY,
    act=sign_one,
    remote_role=LEADER,
)


def add_routes() -> None:
    add_widget(DASHBOARD_WIDGETS, sign_widget)


@official_page("/queue/sign", right=Right.SIGN_COPY)
def sign_queue_page(user) -> None:
    with frame("Hồ sơ chờ lãnh đạo ký", user):
        queue_list(user, SPEC, client_addr())


@official_page("/queue/sign/{dossier_id}", right=Right.SIGN_COPY)
def sign_dossier_page(user, dossier_id: int) -> None:
    with frame("Xem và ký số hồ sơ", user):
        queue_detail(user, SPEC, dossier_id, client_addr())


def sign_widget(user: CurrentUser) -> None:
    if not user.has(Right.SIGN_COPY):
        return
    counts = queue_counts(user, SUBMITTED)
    with (
        ui.card()
        .classes("w-full cursor-pointer")
        .on("click", lambda: ui.navigate.to("/queue/sign"))
        .mark("widget-sign")
    ):
        ui.label(f"Chờ lãnh đạo ký: {sum(counts.values())} hồ sơ").classes("font-bold")
        badge_counts_row(counts)
