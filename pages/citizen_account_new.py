"""Tạo tài khoản công dân » Thêm mới (SPEC A7–A13): look up the ID number, upload and read the ID
scan, confirm the data, download the request form, send the OTP, create the account."""
from __future__ import annotations

from datetime import date

from fastapi import Request
from nicegui import run, ui
from nicegui.events import UploadEventArguments

from app.actions import Outcome, run_action
from app.auth import actor_for
from app.files import store_bytes
from app.forms.account_request import AccountRequest, account_request_pdf
from app.sms import deliver_pending_sms, sms_status
from app.uploads import MIME, UploadRejected, accept_attribute, check_size, check_upload
from app.views.accounts import desk_context
from components.frame import frame, official_page
from components.id_prefill import IdPrefillForm
from domain import citizen_accounts as desk
from domain.clock import format_local, to_local, utcnow
from domain.idcard import IdCardData
from domain.idcard.text import find_dates
from domain.otp import RESEND_SECONDS, OtpError
from domain.rights import Right

MAX_SCAN_BYTES = 5 * 1024 * 1024
SCAN_KINDS = {"pdf", "docx", "doc", "jpeg", "png"}
SCAN_PAGES = 4

HELP_NO_UNIT = desk.NO_ONE_STOP_UNIT
HELP_NO_OTP = ("Công dân không nhận được mã OTP? Kiểm tra lại số điện thoại; kiểm tra sóng và hộp tin nhắn; "
               f"bấm «Gửi mã OTP» để gửi lại sau {RESEND_SECONDS} giây. Nếu đã thử nhiều lần, đề nghị công dân "
               "khởi động lại điện thoại. Chỉ mã gửi sau cùng còn hiệu lực (5 phút).")
HELP_NO_PASSWORD = ("Không nhận được tin nhắn mật khẩu, hoặc mật khẩu không đăng nhập được? Vui lòng đợi vài "
                    "phút rồi thử lại; nếu vẫn không được, dùng chức năng «Quên mật khẩu» trên cổng để đặt "
                    "mật khẩu mới bằng mã OTP.")
HELP_SCAN = ("Quét hoặc chụp cả hai mặt thẻ vào một tệp: .pdf, .docx, .doc, hoặc ảnh JPEG/PNG chụp từ máy "
             "tính bảng; tối đa 5 MB. Tệp .doc được lưu nhưng không đọc tự động được.")




def _desk(use_case):
    """Adapt a desk use case `(session, actor, office_id, *args)` to app.actions.run_action."""
    def call(session, user, *args):
        return use_case(session, actor_for(user), user.office_id, *args)
    return call


async def _run_desk(use_case, *args) -> Outcome:
    """Every step of the desk, lookups included (they read personal data), checked at the click."""
    return await run_action(_desk(use_case), *args, right=Right.CREATE_CITIZEN_ACCOUNT, notify=False)


def _store_scan(session, actor, office_id: int, id_number: str, data: bytes, kind: str, name: str) -> str:
    sha256 = store_bytes(data, MIME[kind], session)
    desk.record_id_scan(session, actor, office_id, id_number, sha256, name, kind)
    return sha256


def _message(exc: Exception) -> str:
    return getattr(exc, "message_vi", None) or getattr(exc, "message", None) or str(exc)


def _parse_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        found = find_dates(text)
        return found[0] if found else None


@official_page("/citizen-accounts/new", right=Right.CREATE_CITIZEN_ACCOUNT)
def new_account_page(user, request: Request) -> None:
    office_id = user.office_id
    units, office_name = desk_context(user.account_id, office_id)
    state: dict = {"id_number": None, "scan_sha": None, "wait": 0}

    with frame("Tạo tài khoản công dân — Thêm mới", user):
        ui.link("← Danh sách tài khoản đã tạo", "/citizen-accounts")
        with ui.card().classes("w-full"):
            ui.label("1. Tra cứu số định danh cá nhân").classes("font-bold")
            with ui.row().classes("w-full items-center gap-2 no-wrap"):
                lookup_input = ui.input("Số định danh cá nhân (CCCD, 12 chữ số)").classes("grow") \
                    .props("inputmode=numeric maxlength=15 data-testid=lookup-id").mark("lookup-id")
                ui.button("Tra cứu", icon="search", on_click=lambda: lookup()).mark("lookup") \
                    .props("data-testid=lookup")
            lookup_result = ui.label().mark("lookup-result").props("data-testid=lookup-result")

        with ui.column().classes("w-full gap-3") as details:
            with ui.card().classes("w-full"):
                ui.label("2. Bản chụp CCCD/CMND và thông tin công dân").classes("font-bold")
                ui.label(HELP_SCAN).classes("text-sm text-gray-700")
                upload = ui.upload(label="Chọn hoặc chụp tệp (hai mặt thẻ)", auto_upload=True,
                                   max_file_size=MAX_SCAN_BYTES, on_upload=lambda e: on_scan(e),
                                   on_rejected=lambda: show_scan_error(
                                       "Tệp vượt quá 5 MB hoặc không đúng loại; hãy chọn tệp khác.")) \
                    .props(f'accept="{accept_attribute(SCAN_KINDS)}" data-testid=scan-upload') \
                    .classes("w-full").mark("scan-upload")
                scan_status = ui.label().mark("scan-status").props("data-testid=scan-status")
                form = IdPrefillForm(max_bytes=MAX_SCAN_BYTES)
                form.upload.set_visibility(False)  # one file, checked here (A8), .doc kept unread
                mismatch = ui.label().classes("text-orange-800").mark("id-mismatch")
            with ui.card().classes("w-full"):
                ui.label("3. Liên hệ và nơi tiếp nhận").classes("font-bold")
                phone = ui.input("Số điện thoại di động của chủ tài khoản").classes("w-full") \
                    .props("inputmode=tel data-testid=phone").mark("phone")
                email = ui.input("Thư điện tử (không bắt buộc)").classes("w-full") \
                    .props("inputmode=email data-testid=email").mark("email")
                unit_select = None
                if units:
                    unit_select = ui.select({u.id: u.name for u in units}, value=units[0].id,
                                            label="Bộ phận Một cửa nơi bạn làm việc").classes("w-full") \
                        .props("data-testid=unit").mark("unit")
                else:
                    ui.label(HELP_NO_UNIT).classes("text-red-700").mark("no-unit").props("data-testid=no-unit")
            with ui.card().classes("w-full"):
                ui.label("4. Xác nhận với công dân").classes("font-bold")
                with ui.row().classes("w-full gap-2"):
                    ui.button("Tải xuống giấy đề nghị tạo tài khoản", icon="download",
                              on_click=lambda: download_form()).mark("download-form") \
                        .props("outline data-testid=download-form")
                    send_button = ui.button("Gửi mã OTP", icon="sms", on_click=lambda: send_otp()) \
                        .mark("send-otp").props("data-testid=send-otp")
                otp_status = ui.label().mark("otp-status").props("data-testid=otp-status")
                ui.label(HELP_NO_OTP).classes("text-sm text-gray-700").mark("help-otp")
                with ui.row().classes("w-full items-center gap-2 no-wrap"):
                    otp_input = ui.input("Mã OTP công dân đọc (6 chữ số)").classes("grow") \
                        .props("inputmode=numeric maxlength=6 autocomplete=one-time-code data-testid=otp") \
                        .mark("otp")
                    ui.button("Tạo tài khoản", icon="how_to_reg", on_click=lambda: create()) \
                        .props("color=positive data-testid=create-account").mark("create-account")
            error = ui.label().classes("text-red-700 whitespace-pre-line").mark("desk-error") \
                .props("data-testid=desk-error")
        details.set_visibility(False)
        with ui.card().classes("w-full bg-green-50") as done:
            done_text = ui.label().classes("font-bold text-green-900").mark("created").props("data-testid=created")
            done_sms = ui.label().mark("password-sms")
            ui.label(HELP_NO_PASSWORD).classes("text-sm text-gray-700").mark("help-password")
            with ui.row():
                ui.button("Tạo tài khoản khác", on_click=lambda: ui.navigate.to("/citizen-accounts/new"))
                ui.button("Về danh sách", on_click=lambda: ui.navigate.to("/citizen-accounts")).props("outline")
        done.set_visibility(False)
        countdown = ui.timer(1.0, lambda: tick(), active=False)

    def fail(message: str) -> None:
        error.text = message
        ui.notify(message, type="negative", multi_line=True)

    async def lookup() -> None:
        lookup_result.classes(remove="text-red-700 text-green-800")
        outcome = await _run_desk(desk.lookup_id_number, lookup_input.value)
        if not outcome.ok:
            lookup_result.text = outcome.error
            lookup_result.classes(add="text-red-700")
            return
        result = outcome.value
        lookup_result.text = result.message
        if result.exists:
            lookup_result.classes(add="text-red-700")
            details.set_visibility(False)
            return
        lookup_result.classes(add="text-green-800")
        if result.id_number != state["id_number"]:
            state.update(id_number=result.id_number, scan_sha=None)
            scan_status.text = ""
            form.show(IdCardData(id_number=result.id_number))
        details.set_visibility(True)

    def show_scan_error(message: str) -> None:
        scan_status.text = message
        scan_status.classes(replace="text-red-700")
        ui.notify(message, type="negative", multi_line=True)

    async def on_scan(event: UploadEventArguments) -> None:
        upload.reset()
        file = event.file
        try:
            check_size(file.size(), file.name, MAX_SCAN_BYTES)
            data = await file.read()
            kind = check_upload(data, file.name, SCAN_KINDS, MAX_SCAN_BYTES, SCAN_PAGES)
        except UploadRejected as exc:
            show_scan_error(exc.message_vi)
            return
        outcome = await _run_desk(_store_scan, state["id_number"], data, kind, file.name)
        if not outcome.ok:
            show_scan_error(outcome.error)
            return
        state["scan_sha"] = outcome.value
        scan_status.classes(replace="text-green-800")
        if kind == "doc":
            scan_status.text = (f"Đã lưu bản chụp «{file.name}». Tệp Word cũ (.doc) không đọc tự động được: "
                                "hãy nhập thông tin theo thẻ và kiểm tra kỹ.")
            return
        scan_status.text = f"Đã lưu bản chụp «{file.name}». Đang đọc thông tin trên thẻ…"
        before = form.data
        await form.read_files([(file.name, data)])
        if form.data is before:
            scan_status.text = (f"Đã lưu bản chụp «{file.name}», nhưng không đọc tự động được thông tin trên "
                                "thẻ: hãy nhập tay theo thẻ.")
            return
        read_id = form.values().get("id_number")
        scan_status.text = (f"Đã lưu bản chụp «{file.name}». Hãy đối chiếu từng trường với thẻ và sửa nếu sai "
                            "(nhãn bên phải cho biết nguồn: QR, MRZ, OCR hay nhập tay).")
        mismatch.text = (f"Số định danh đọc từ thẻ ({read_id}) khác số đã tra cứu ({state['id_number']}). "
                         "Hãy kiểm tra lại; nếu số trên thẻ đúng, hãy tra cứu lại số đó."
                         if read_id and read_id != state["id_number"] else "")

    def draft() -> desk.CitizenDraft:
        values = form.values()
        id_number = (values.get("id_number") or "").replace(" ", "")
        if id_number != state["id_number"]:
            raise desk.CitizenAccountError("Số định danh trên biểu mẫu khác số đã tra cứu; hãy tra cứu lại "
                                           "số định danh trước khi tiếp tục.")
        return desk.CitizenDraft(
            id_number=id_number, full_name=values.get("full_name") or "",
            date_of_birth=_parse_date(values.get("date_of_birth")), phone=phone.value or "",
            one_stop_unit_id=unit_select.value if unit_select else None, id_scan_sha256=state["scan_sha"],
            email=email.value, old_id_number=values.get("old_id_number"), sex=values.get("sex"),
            address=values.get("place_of_residence"))

    async def download_form() -> None:
        error.text = ""
        try:
            outcome = await _run_desk(desk.record_request_form, draft())
        except desk.CitizenAccountError as exc:
            fail(_message(exc))
            return
        if not outcome.ok:
            fail(outcome.error)
            return
        checked = outcome.value
        unit_name = next(u.name for u in units if u.id == checked.one_stop_unit_id)
        pdf = account_request_pdf(AccountRequest(
            full_name=checked.full_name, id_number=checked.id_number, date_of_birth=checked.date_of_birth,
            phone=checked.phone, email=checked.email, one_stop_unit=unit_name,
            office_name=office_name, official_name=user.full_name,
            old_id_number=checked.old_id_number, sex=checked.sex, address=checked.address,
            day=to_local(utcnow()).date()))
        ui.download(pdf, f"giay-de-nghi-tao-tai-khoan-{checked.id_number}.pdf", media_type="application/pdf")

    async def send_otp() -> None:
        error.text = ""
        try:
            outcome = await _run_desk(desk.send_account_otp, draft(), utcnow())
        except desk.CitizenAccountError as exc:
            fail(_message(exc))
            return
        if not outcome.ok:
            fail(outcome.error)
            if isinstance(outcome.exception, OtpError):
                wait = outcome.exception.wait_seconds
                start_countdown(wait if wait <= RESEND_SECONDS else 0)
            return
        sms_id = outcome.value
        start_countdown(RESEND_SECONDS)
        await run.io_bound(deliver_pending_sms)
        status = await run.io_bound(sms_status, sms_id)
        when = format_local(utcnow(), "%H:%M:%S")
        otp_status.text = (f"Đã gửi mã OTP tới số {phone.value} lúc {when}; mã có hiệu lực 5 phút."
                           if status == "sent" else
                           f"Mã OTP đã được tạo lúc {when} nhưng tin nhắn chưa gửi được ngay; hệ thống sẽ tự "
                           "gửi lại. Nếu công dân vẫn không nhận được, hãy gửi lại mã sau 60 giây.")

    def start_countdown(seconds: int) -> None:
        state["wait"] = seconds
        if seconds > 0:
            send_button.disable()
            send_button.text = f"Gửi lại mã OTP sau {seconds} giây"
            countdown.activate()

    def tick() -> None:
        state["wait"] -= 1
        if state["wait"] <= 0:
            countdown.deactivate()
            send_button.enable()
            send_button.text = "Gửi lại mã OTP"
        else:
            send_button.text = f"Gửi lại mã OTP sau {state['wait']} giây"

    async def create() -> None:
        error.text = ""
        try:
            outcome = await _run_desk(desk.create_citizen_account, draft(), otp_input.value or "", utcnow())
        except desk.CitizenAccountError as exc:
            fail(_message(exc))
            return
        if not outcome.ok:
            fail(outcome.error)
            return
        created = outcome.value
        await run.io_bound(deliver_pending_sms)
        details.set_visibility(False)
        lookup_input.disable()
        done_text.text = (f"Đã tạo tài khoản công dân. Tên đăng nhập: {created.username} "
                          f"(hoặc số điện thoại {created.phone}).")
        done_sms.text = (f"Mật khẩu tạm thời đã được gửi qua SMS tới {created.phone}. Công dân phải đổi mật khẩu "
                         "ở lần đăng nhập đầu tiên.")
        done.set_visibility(True)
