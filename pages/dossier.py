"""/dossier/{id}: one dossier at intake (SPEC C3–C5, C7, C10) — requester, deadline, originals with
their scans and checks, fee, extension, appointment slip, submission to the leader, refusal."""
from __future__ import annotations

import asyncio

from fastapi import Request
from nicegui import ui

from app.intake.dossier_service import notice_bytes, receipt_bytes, slip_bytes, slip_needed
from app.views.dossier import EDITABLE, dossier_code, intake_dossier, submission_problems
from app.web.actions import run_action
from app.web.auth import client_addr
from components.dossier_common import notify_error, vnd
from components.due_badge import due_badge_chip
from components.frame import frame, official_page, refusal_page
from components.original_form import OriginalForm
from components.refusal_dialog import open_refusal_dialog
from components.scan_editor import scan_editor
from domain import dossiers, workflow
from domain.access import AccessDenied, CurrentUser
from domain.clock import format_local
from domain.payments import METHOD_LABELS
from domain.refusal import REFUSAL_GROUNDS
from domain.rights import Right


@official_page("/dossier/{dossier_id}", right=Right.CREATE_COPY)
async def dossier_page(user, request: Request, dossier_id: int) -> None:
    try:
        code = dossier_code(user, dossier_id)
    except AccessDenied:
        refusal_page(user)
        return
    addr = client_addr(request)
    with frame(f"Hồ sơ {code}", user):
        ui.link("← Danh sách hồ sơ đang tiếp nhận", "/intake").classes("ct-touch-link")
        body = ui.column().classes("w-full gap-3")
    editor = DossierEditor(user, dossier_id, addr, body)
    await editor.render()


class DossierEditor:
    """The dossier's body, redrawn after every change (the read-only view of later steps is
    app.views.dossier.DossierView)."""

    def __init__(self, user: CurrentUser, dossier_id: int, addr: str, body):
        self.user, self.dossier_id, self.addr, self.body = user, dossier_id, addr, body
        self.adding = False
        self._rendering = asyncio.Lock()  # two redraws at once would interleave their elements

    async def render(self) -> None:
        async with self._rendering:
            await self._render()

    async def _render(self) -> None:
        if self.body.is_deleted:
            return
        found = intake_dossier(self.user, self.dossier_id)
        dossier, originals, editable = found.dossier, found.originals, found.editable
        self.body.clear()
        with self.body:
            self._summary(dossier, found.calendar)
            for index, (original, pages) in enumerate(originals, 1):
                with ui.card().classes("w-full").props(f"data-testid=original-{index}"):
                    ui.label(f"Bản chính {index}: {original.title}").classes("text-lg font-bold")
                    OriginalForm(
                        original,
                        editable,
                        str(index),
                        on_save=lambda d, o=original.id: self.save(d, o),
                        on_refuse=self.refuse,
                        scanned_pages=len(pages),
                    )
                    ui.separator()
                    await scan_editor(
                        self.user, original.id, str(index), pages, editable, self.addr, self.render
                    )
            if editable and (self.adding or not originals):
                with ui.card().classes("w-full border-2 border-blue-200").props("data-testid=original-new"):
                    ui.label("Thêm bản chính").classes("text-lg font-bold")
                    OriginalForm(
                        None, True, "new", on_save=lambda d: self.save(d, None), on_refuse=self.refuse
                    )
            elif editable:
                ui.button("Thêm bản chính", icon="add", on_click=self.add_original) \
                    .props("outline data-testid=original-add").mark("original-add")
            self._fees(found.fee, found.paid, found.payments, found.allow_pay_later)
            if editable:
                self._actions(dossier, found.problems)
            self._documents(dossier)

    def _summary(self, dossier, calendar) -> None:
        with ui.card().classes("w-full"):
            with ui.row().classes("w-full items-center justify-between"):
                ui.label(workflow.STATE_LABELS[dossier.state]).classes("text-lg font-bold") \
                    .mark("dossier-state").props("data-testid=dossier-state")
                if dossier.state not in workflow.TERMINAL_STATES:
                    due_badge_chip(dossier.due_at, calendar, show_time=False)
            kind = "Tổ chức" if dossier.requester_kind == "organisation" else "Cá nhân"
            rows = [
                ("Người yêu cầu", f"{dossier.requester_name} ({kind})"),
                ("Số giấy tờ tùy thân", dossier.requester_id_number),
                ("Ngày sinh", dossier.requester_dob.strftime("%d/%m/%Y") if dossier.requester_dob else None),
                ("Điện thoại", dossier.requester_phone),
                ("Thư điện tử", dossier.requester_email),
                ("Địa chỉ", dossier.requester_address),
                ("Mã số thuế", dossier.org_tax_code),
                ("Người đại diện", dossier.org_representative),
                ("Tài khoản công dân", "Có — bản sao sẽ gửi vào tài khoản" if dossier.citizen_id else None),
                ("Tiếp nhận lúc", format_local(dossier.received_at)),
                ("Hạn trả kết quả", format_local(dossier.due_at)),
                (
                    "Hạn xử lý bước hiện tại",
                    format_local(dossier.step_due_at) if dossier.state in EDITABLE else None,
                ),
                ("Hồ sơ phức tạp", "Có (16 giờ làm việc)" if dossier.complex else None),
                ("Gia hạn", dossier.extension_reason),
                ("Thỏa thuận bằng văn bản", dossier.extension_agreement),
            ]
            with (
                ui.grid()
                .classes("w-full gap-x-4 gap-y-1")
                .style("grid-template-columns: minmax(120px, max-content) 1fr")
            ):
                for label, value in rows:
                    if value:
                        ui.label(f"{label}:").classes("text-gray-600")
                        ui.label(str(value)).classes("font-medium break-words")
            if dossier.state == workflow.RETURNED and dossier.return_comment:
                ui.label(f"Lãnh đạo trả lại: {dossier.return_comment}").classes(
                    "text-orange-900 font-medium"
                ).mark("return-comment")
            if dossier.state == workflow.REFUSED:
                grounds = "; ".join(
                    REFUSAL_GROUNDS[g] for g in dossier.refusal_grounds if g in REFUSAL_GROUNDS
                )
                ui.label(f"Lý do từ chối: {grounds} — {dossier.refusal_note}").classes("text-red-800") \
                    .mark("refusal-summary")

    def _fees(self, fee: int, paid: int, payments, allow_pay_later: bool) -> None:
        with ui.card().classes("w-full"):
            ui.label("Phí chứng thực").classes("font-bold")
            ui.label(f"Tổng phí: {vnd(fee)} · Đã nộp: {vnd(paid)}").mark("fee-total")
            if fee > paid:
                ui.label("Mời người yêu cầu nộp phí tại Bộ phận Một cửa trước khi trình lãnh đạo ký."
                         if not allow_pay_later else "Cơ quan cho phép nộp phí sau.").classes("text-sm")
            for payment in payments:
                with ui.row().classes("items-center gap-2"):
                    ui.label(
                        f"Biên lai {payment.receipt_number}: {vnd(payment.amount)} "
                        f"({METHOD_LABELS.get(payment.method, payment.method)}), {format_local(payment.at)}"
                    )
                    ui.button(
                        "Tải biên lai",
                        icon="receipt",
                        on_click=lambda p=payment.id: self.download(receipt_bytes, p),
                    ).props(f"flat data-testid=receipt-{payment.id}").mark(f"receipt-{payment.id}")

    def _actions(self, dossier, problems: list[str]) -> None:
        with ui.card().classes("w-full"):
            ui.label("Xử lý hồ sơ").classes("font-bold")
            problem_box = (
                ui.column().classes("gap-0").mark("submit-problems").props("data-testid=submit-problems")
            )
            with ui.row().classes("gap-2 flex-wrap"):
                ui.button("Trình lãnh đạo ký", icon="send", on_click=lambda: self.submit(problem_box)) \
                    .props("color=primary data-testid=submit").mark("submit")
                ui.button("Gia hạn", icon="more_time", on_click=self.extend_dialog) \
                    .props("outline data-testid=extend").mark("extend")
                ui.button("Từ chối chứng thực", icon="block", on_click=lambda: self.refuse(None)) \
                    .props("outline color=negative data-testid=refuse").mark("refuse")
            if problems:
                ui.label("Còn thiếu trước khi trình: " + " ".join(problems)).classes(
                    "text-sm text-gray-700"
                ).mark("pending-problems")

    def _documents(self, dossier) -> None:
        with ui.row().classes("gap-2 flex-wrap"):
            if dossier.state != workflow.REFUSED and slip_needed(dossier):
                ui.button("In phiếu hẹn trả kết quả", icon="event_note",
                          on_click=lambda: self.download(slip_bytes, dossier.id)) \
                    .props("outline data-testid=slip").mark("slip")
            if dossier.refusal_notice_sha256:
                ui.button("Tải thông báo từ chối", icon="description",
                          on_click=lambda: self.download(notice_bytes, dossier.id)) \
                    .props("outline data-testid=refusal-notice").mark("refusal-notice")

    # --- actions ------------------------------------------------------------------------

    def add_original(self) -> None:
        self.adding = True
        ui.timer(0, self.render, once=True)

    async def save(self, data, original_id: int | None) -> None:
        if not (await run_action(dossiers.save_original, self.dossier_id, data, original_id, self.addr,
                                 right=Right.CREATE_COPY, record=("dossier", self.dossier_id))).ok:
            return
        self.adding = False
        ui.notify("Đã lưu bản chính.", type="positive")
        await self.render()

    async def submit(self, problem_box) -> None:
        problems = submission_problems(self.user, self.dossier_id)
        if problems:
            problem_box.clear()
            with problem_box:
                ui.label("Chưa trình được:").classes("text-red-800 font-bold")
                for problem in problems:
                    ui.label(f"• {problem}").classes("text-red-800")
            return
        if not (await run_action(dossiers.submit, self.dossier_id, self.addr, right=Right.CREATE_COPY,
                                 record=("dossier", self.dossier_id))).ok:
            return
        ui.notify("Đã trình lãnh đạo ký.", type="positive")
        await self.render()

    def refuse(self, ground: str | None) -> None:
        open_refusal_dialog(self.user, self.dossier_id, self.addr, ground, self.render)

    def extend_dialog(self) -> None:
        with ui.dialog() as dialog, ui.card().classes("w-full max-w-md"):
            ui.label("Gia hạn thời hạn trả kết quả").classes("font-bold")
            ui.label(
                "Tối đa 2 ngày làm việc (nhiều bản chính, nhiều trang, nội dung phức tạp); lâu hơn cần thỏa "
                "thuận bằng văn bản với người yêu cầu."
            ).classes("text-sm")
            days = (
                ui.number("Số ngày làm việc", value=1, min=1, precision=0)
                .props("data-testid=extend-days")
                .mark("extend-days")
            )
            reason = ui.input("Lý do gia hạn").classes("w-full").props("data-testid=extend-reason") \
                .mark("extend-reason")
            agreement = ui.input("Thỏa thuận bằng văn bản (số, ngày) — nếu quá 2 ngày").classes("w-full") \
                .props("data-testid=extend-agreement").mark("extend-agreement")

            async def save() -> None:
                try:
                    count = int(days.value)
                except (TypeError, ValueError):
                    notify_error("Số ngày gia hạn phải là số nguyên dương.")
                    return
                if not (await run_action(dossiers.extend, self.dossier_id, count, reason.value or "",
                                         agreement.value or "", self.addr, right=Right.CREATE_COPY,
                                         record=("dossier", self.dossier_id))).ok:
                    return
                dialog.close()
                ui.notify("Đã gia hạn; hãy in phiếu hẹn mới cho người yêu cầu.", type="positive")
                await self.render()

            with ui.row():
                ui.button("Lưu", on_click=save).props("data-testid=extend-save").mark("extend-save")
                ui.button("Đóng", on_click=dialog.close).props("flat")
        dialog.open()

    def download(self, producer, target_id: int) -> None:
        try:
            filename, data = producer(self.user, target_id)
        except AccessDenied as exc:
            notify_error(exc.message)
            return
        ui.download.content(data, filename, "application/pdf")
