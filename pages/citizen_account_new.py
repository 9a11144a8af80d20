"""Tạo tài khoản công dân » Thêm mới (SPEC A7–A13): look up the ID number, upload and read the ID
scan, confirm the data, download the request form, send the OTP, create the account. The steps are
components (components/citizen_desk/); this page holds what they share and the desk's use cases."""
from __future__ import annotations

from fastapi import Request
from nicegui import run, ui

from app.forms.account_request import AccountRequest, account_request_pdf
from app.outbox.sms import deliver_pending_sms, sms_status
from app.views.accounts import desk_context
from components.citizen_desk import error_text, parse_card_date, run_desk
from components.citizen_desk.confirm import ConfirmStep, ContactStep, DoneCard
from components.citizen_desk.lookup import LookupStep
from components.citizen_desk.scan import MAX_SCAN_BYTES, SCAN_KINDS, SCAN_PAGES, ScanStep
from components.frame import frame, official_page
from domain import citizen_accounts as desk
from domain.access import CurrentUser
from domain.clock import format_local, to_local, utcnow
from domain.models import Unit
from domain.otp import RESEND_SECONDS, OtpError
from domain.rights import Right

__all__ = ["MAX_SCAN_BYTES", "SCAN_KINDS", "SCAN_PAGES", "new_account_page"]  # the limits, for the tests


@official_page("/citizen-accounts/new", right=Right.CREATE_CITIZEN_ACCOUNT)
def new_account_page(user, request: Request) -> None:
    units, office_name = desk_context(user.account_id, user.office_id)
    with frame("Tạo tài khoản công dân — Thêm mới", user):
        ui.link("← Danh sách tài khoản đã tạo", "/citizen-accounts")
        NewAccountDesk(user, units, office_name)


class NewAccountDesk:
    def __init__(self, user: CurrentUser, units: list[Unit], office_name: str):
        self.user, self.units, self.office_name = user, units, office_name
        self.id_number: str | None = None
        self.lookup = LookupStep(self.number_free, lambda: self.details.set_visibility(False))
        with ui.column().classes("w-full gap-3") as self.details:
            self.scan = ScanStep(lambda: self.id_number)
            self.contact = ContactStep(units)
            self.confirm = ConfirmStep(self.download_form, self.send_otp, self.create)
            self.error = ui.label().classes("text-red-700 whitespace-pre-line").mark("desk-error") \
                .props("data-testid=desk-error")
        self.details.set_visibility(False)
        self.done = DoneCard()

    def number_free(self, id_number: str) -> None:
        if id_number != self.id_number:
            self.id_number = id_number
            self.scan.restart(id_number)
        self.details.set_visibility(True)

    def fail(self, message: str) -> None:
        self.error.text = message
        ui.notify(message, type="negative", multi_line=True)

    def draft(self) -> desk.CitizenDraft:
        values = self.scan.form.values()
        id_number = (values.get("id_number") or "").replace(" ", "")
        if id_number != self.id_number:
            raise desk.CitizenAccountError("Số định danh trên biểu mẫu khác số đã tra cứu; hãy tra cứu lại "
                                           "số định danh trước khi tiếp tục.")
        return desk.CitizenDraft(
            id_number=id_number, full_name=values.get("full_name") or "",
            date_of_birth=parse_card_date(values.get("date_of_birth")), phone=self.contact.phone.value or "",
            one_stop_unit_id=self.contact.unit_id, id_scan_sha256=self.scan.scan_sha,
            email=self.contact.email.value, old_id_number=values.get("old_id_number"), sex=values.get("sex"),
            address=values.get("place_of_residence"))

    async def step(self, use_case, *args):
        """Run a desk step on the current draft; the outcome, or None after showing why it failed."""
        self.error.text = ""
        try:
            outcome = await run_desk(use_case, self.draft(), *args)
        except desk.CitizenAccountError as exc:
            self.fail(error_text(exc))
            return None
        if not outcome.ok:
            self.fail(outcome.error)
        return outcome

    async def download_form(self) -> None:
        outcome = await self.step(desk.record_request_form)
        if not outcome or not outcome.ok:
            return
        checked = outcome.value
        unit_name = next(u.name for u in self.units if u.id == checked.one_stop_unit_id)
        pdf = account_request_pdf(AccountRequest(
            full_name=checked.full_name, id_number=checked.id_number, date_of_birth=checked.date_of_birth,
            phone=checked.phone, email=checked.email, one_stop_unit=unit_name,
            office_name=self.office_name, official_name=self.user.full_name,
            old_id_number=checked.old_id_number, sex=checked.sex, address=checked.address,
            day=to_local(utcnow()).date()))
        ui.download(pdf, f"giay-de-nghi-tao-tai-khoan-{checked.id_number}.pdf", media_type="application/pdf")

    async def send_otp(self) -> None:
        outcome = await self.step(desk.send_account_otp, utcnow())
        if not outcome:
            return
        if not outcome.ok:
            if isinstance(outcome.exception, OtpError):
                wait = outcome.exception.wait_seconds
                self.confirm.countdown(wait if wait <= RESEND_SECONDS else 0)
            return
        self.confirm.countdown(RESEND_SECONDS)
        await run.io_bound(deliver_pending_sms, office_id=self.user.office_id)
        status = await run.io_bound(sms_status, outcome.value)
        when = format_local(utcnow(), "%H:%M:%S")
        self.confirm.otp_status.text = (
            f"Đã gửi mã OTP tới số {self.contact.phone.value} lúc {when}; mã có hiệu lực 5 phút."
            if status == "sent" else
            f"Mã OTP đã được tạo lúc {when} nhưng tin nhắn chưa gửi được ngay; hệ thống sẽ tự "
            "gửi lại. Nếu công dân vẫn không nhận được, hãy gửi lại mã sau 60 giây.")

    async def create(self) -> None:
        outcome = await self.step(desk.create_citizen_account, self.confirm.otp.value or "", utcnow())
        if not outcome or not outcome.ok:
            return
        created = outcome.value
        await run.io_bound(deliver_pending_sms, office_id=self.user.office_id)
        self.details.set_visibility(False)
        self.lookup.input.disable()
        self.done.show(created.username, created.phone)
