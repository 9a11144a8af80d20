"""Step 2, intake (SPEC C10): /intake lists the office's dossiers being received (draft, returned),
soonest due first; /intake/new receives a walk-in requester — typed, read from the ID card, or
filled from the citizen's own account after they sign in on the official's tablet."""
from __future__ import annotations

from fastapi import Request
from nicegui import ui

from app.views.intake import intake_counts, intake_page
from app.web.actions import run_action
from app.web.auth import client_addr
from components.dashboard import DASHBOARD_WIDGETS, add_widget
from components.due_badge import due_badge_chip
from components.frame import frame, official_page
from components.id_prefill import IdPrefillForm
from components.intake_draft import DraftKeeper
from components.lazy import lazy_expansion
from components.requester_form import RequesterForm
from components.tablet_sign_in import TabletSignIn
from domain import workflow
from domain.clock import format_local, utcnow
from domain.dossiers import open_dossier
from domain.models import Dossier
from domain.rights import Right


def add_routes() -> None:
    add_widget(DASHBOARD_WIDGETS, intake_widget)


def intake_widget(user) -> None:
    if not user.has(Right.CREATE_COPY):
        return
    total, overdue = intake_counts(user.office_id)
    with ui.card().classes("w-full cursor-pointer").on("click", lambda: ui.navigate.to("/intake")) \
            .props("data-testid=widget-intake"):
        ui.label("Hồ sơ đang tiếp nhận").classes("font-bold")
        with ui.row().classes("gap-4 items-center"):
            ui.label(f"{total} hồ sơ đang tiếp nhận / trả lại").mark("widget-intake-total")
            ui.badge(f"{overdue} quá hạn", color="negative" if overdue else "grey").mark(
                "widget-intake-overdue"
            )


@official_page("/intake", right=Right.CREATE_COPY)
def intake_list_page(user, page: int = 1) -> None:
    state = {"page": max(1, page)}
    with frame("Tiếp nhận hồ sơ", user):
        ui.button("Tiếp nhận hồ sơ mới", icon="add", on_click=lambda: ui.navigate.to("/intake/new")) \
            .props("data-testid=intake-new").mark("intake-new")
        listing = ui.column().classes("w-full gap-2")

    def show() -> None:
        now = utcnow()
        found = intake_page(user.office_id, state["page"])
        state["page"] = found.page
        listing.clear()
        with listing:
            ui.label(f"{found.total} hồ sơ đang tiếp nhận hoặc được trả lại để bổ sung").classes(
                "text-gray-700"
            )
            for dossier in found.rows:
                _row(dossier, now, found.calendar)
            if found.pages > 1:
                ui.pagination(1, found.pages, direction_links=True, value=state["page"],
                              on_change=lambda e: go(e.value)).props("data-testid=intake-pages")

    def go(number: int) -> None:
        state["page"] = number
        show()

    show()


def _row(dossier: Dossier, now, calendar) -> None:
    with (
        ui.card()
        .classes("w-full cursor-pointer")
        .on("click", lambda: ui.navigate.to(f"/dossier/{dossier.id}"))
        .props(f"data-testid=intake-row-{dossier.id}")
    ):
        with ui.row().classes("w-full items-center justify-between gap-2"):
            with ui.column().classes("gap-0"):
                ui.label(f"{dossier.code} — {dossier.requester_name}").classes("font-bold")
                ui.label(
                    f"Tiếp nhận {format_local(dossier.received_at)} · Hạn trả {format_local(dossier.due_at)}"
                ).classes("text-sm")
                ui.label(workflow.STATE_LABELS[dossier.state]).classes("text-sm text-gray-700")
            due_badge_chip(dossier.due_at, calendar, now=now, show_time=False)
        if dossier.state == workflow.RETURNED and dossier.return_comment:
            ui.label(f"Ý kiến của lãnh đạo: {dossier.return_comment}").classes("text-orange-900 text-sm") \
                .mark(f"return-comment-{dossier.id}")


# --- new dossier ---------------------------------------------------------------------------

@official_page("/intake/new", right=Right.CREATE_COPY)
def intake_new_page(user, request: Request) -> None:
    addr = client_addr(request)
    state: dict = {"citizen_id": None}
    with frame("Tiếp nhận hồ sơ mới", user):
        ui.link("← Danh sách hồ sơ đang tiếp nhận", "/intake").classes("ct-touch-link")
        with ui.row().classes("gap-2"):
            ui.button("Công dân đăng nhập trên máy tính bảng", icon="tablet_android",
                      on_click=lambda: tablet.open()).props("outline data-testid=tablet-login") \
                .mark("tablet-login")
        # built when first opened (a closed expansion still mounts its content on the tablet)
        lazy_expansion("Điền từ ảnh chụp thẻ căn cước", lambda: build_prefill(), icon="badge").classes(
            "w-full"
        ).props("data-testid=id-prefill").mark("id-prefill")
        account_note = ui.label().classes("text-green-800 font-medium").mark("tablet-account")
        draft_offer = ui.column().classes("w-full")
        form = RequesterForm()
        drafts = DraftKeeper(user.account_id, form, draft_offer)  # typing survives the idle limit
        ui.button("Tiếp nhận hồ sơ", icon="assignment_turned_in", on_click=lambda: submit()) \
            .props("color=primary data-testid=req-open").mark("req-open")

        def signed_in(citizen_id: int, data) -> None:
            state["citizen_id"] = citizen_id
            form.fill_from_account(data)
            account_note.set_text(
                f"Đã xác thực tài khoản công dân: {data.name}. Bản sao sẽ được gửi vào tài khoản này."
            )

        tablet = TabletSignIn(addr, signed_in)

    def build_prefill() -> None:
        # Nothing is copied on reading: OCR-read fields wait for the official's confirmation.
        prefill = IdPrefillForm()
        ui.button("Chép thông tin đã xác nhận vào hồ sơ", icon="content_copy",
                  on_click=lambda: form.copy_confirmed(prefill.confirmed_values(), prefill.unconfirmed())) \
            .props("outline data-testid=id-copy").mark("id-copy")

    async def submit() -> None:
        requester = form.requester()
        if requester is None:
            return
        await drafts.save_now()  # kept if the session has met the idle limit and the click goes to sign-in
        ok, dossier = await run_action(open_dossier, requester, addr=addr, citizen_id=state["citizen_id"],
                                       complex_=bool(form.complex_.value), right=Right.CREATE_COPY)
        if ok:
            await drafts.done()
            ui.navigate.to(f"/dossier/{dossier.id}")
