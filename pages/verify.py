"""Tra cứu bản sao — public, no sign-in: /verify (a code, or upload the PDF), /verify/{code} (the QR on the
copy leads here), /verify/{code}.json (for machines, answered by app/api/public_json.py), /verify/ca.pem
(the demo CA's root certificate).

Shows only what a relying party needs: status, office, number and book, date, title and pages, signers and
the SHA-256. Never the requester's ID number, address or phone; the name shortened. Rate-limited per address.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from nicegui import run, ui

from app.api.public_json import verify_json
from app.intake.uploads import UploadRejected, check_size, check_upload
from app.settings import get_settings
from app.verification.public_verify import (
    LIMITER,
    MAX_UPLOAD_BYTES,
    TOO_MANY,
    ca_certificate_pem,
    code_from_text,
    verify_by_code,
    verify_cached,
)
from app.verification.verdict_labels import ROLE_LABELS, STATUS_VIEW
from app.web.auth import client_addr
from app.web.public_limits import WAITING, Busy, verification_turn
from components.frame import CSS, demo_banner
from components.long_action import io_bounded, show_failure
from components.menu import REGISTERED
from domain.clock import format_local
from domain.signing.names import shorten_name
from domain.signing.verification import Status, VerificationResult

# the server refused the upload from its headers (app.web.upload_limit): the browser sees only a failed
# request
UPLOAD_REFUSED = ("Tệp chưa được nhận: đã quá giới hạn tải lên trong một phút (hoặc tệp quá 20 MB). "
                  "Vui lòng đợi một phút rồi thử lại.")
VERIFY_FAILED = "Không kiểm tra được bản sao lúc này. Vui lòng thử lại sau ít phút."


def add_routes() -> None:
    REGISTERED.add("/verify")
    # the exact routes first: /verify/{code} would otherwise take them
    from nicegui import app

    app.get("/verify/ca.pem")(ca_pem)
    app.get("/verify/{code}.json")(verify_json)  # the verdict as JSON: app/api/public_json.py
    ui.page("/verify")(verify_home_page)
    ui.page("/verify/{code}")(verify_code_page)


def _too_many_html() -> HTMLResponse:
    return HTMLResponse(
        f"<!doctype html><meta charset='utf-8'><title>Tra cứu bản sao</title><p>{TOO_MANY}</p>",
        status_code=429,
        headers={"Retry-After": "60"},
    )


def ca_pem(request: Request) -> Response:
    pem = ca_certificate_pem()
    if pem is None:
        return HTMLResponse("Không có chứng thư gốc để tải.", status_code=404)
    return Response(
        pem,
        media_type="application/x-pem-file",
        headers={"Content-Disposition": 'attachment; filename="chung-thu-goc.pem"'},
    )


def public_frame(title: str):
    ui.add_head_html(CSS)
    ui.page_title(f"{title} — Chứng thực điện tử")
    with ui.header(elevated=True).classes("items-center justify-between bg-blue-900 px-3 py-2"):
        ui.label("Tra cứu bản sao điện tử được chứng thực từ bản chính").classes("font-bold")
        ui.link("Đăng nhập", "/login").classes("text-white")
    demo_banner()
    return ui.column().classes("ct-page p-3 gap-3")


def verify_home_page(request: Request):
    if not LIMITER.allow(client_addr(request)):
        return _too_many_html()
    with public_frame("Tra cứu bản sao"):
        ui.label("Tra cứu bản sao điện tử").classes("text-xl font-bold text-blue-900")
        with ui.card().classes("w-full"):
            ui.label(
                "Nhập mã tra cứu in cạnh mã QR trên bản sao (dòng «Mã tra cứu») hoặc dán đường dẫn tra cứu:"
            )
            with ui.row().classes("w-full items-center gap-2 no-wrap"):
                code = (
                    ui.input("Mã tra cứu")
                    .classes("grow")
                    .props("data-testid=verify-code")
                    .mark("verify-code")
                )
                ui.button("Tra cứu", icon="search", on_click=lambda: go(code.value)).props(
                    "data-testid=verify-go"
                ).mark("verify-go")
            code.on("keydown.enter", lambda: go(code.value))
        with ui.card().classes("w-full"):
            ui.label("Hoặc tải lên tệp PDF bản sao để kiểm tra chữ ký số (tối đa 20 MB):")
            ui.upload(
                label="Chọn tệp PDF",
                auto_upload=True,
                max_file_size=MAX_UPLOAD_BYTES,
                on_upload=lambda e: check_file(e, request, holder),
                on_rejected=lambda: ui.notify("Tệp vượt quá 20 MB.", type="negative"),
            ).props("accept=.pdf data-testid=verify-upload public-upload").classes("w-full") \
                .mark("verify-upload").on("failed", lambda: ui.notify(UPLOAD_REFUSED, type="negative"))
        holder = ui.column().classes("w-full gap-2").mark("verify-result")
        ca_note()


def go(text: str | None) -> None:
    code = code_from_text(text or "")
    if not code:
        ui.notify("Vui lòng nhập mã tra cứu.", type="warning")
        return
    ui.navigate.to(f"/verify/{code}")


async def check_file(event, request: Request, holder: ui.column) -> None:
    holder.clear()
    event.sender.reset()  # the outcome is said below (a refusal in red): no ✓ left in the list beside it
    if not LIMITER.allow(client_addr(request)):
        with holder:
            ui.label(TOO_MANY).classes("text-negative font-bold").mark("rate-limited")
        return
    upload = event.file
    try:
        check_size(upload.size(), upload.name, MAX_UPLOAD_BYTES)
    except UploadRejected as exc:
        with holder:
            ui.label(exc.message).classes("text-negative").mark("upload-rejected")
        return
    with holder:
        spinner = ui.spinner(size="lg")
        waiting = ui.label("").classes("text-gray-700").mark("verify-waiting")
    try:
        # the file stays in NiceGUI's temporary file until its turn: a burst does not fill the memory
        async with verification_turn(on_wait=lambda: waiting.set_text(WAITING)):
            waiting.delete()
            result = await _check_and_verify(upload)
    except Busy as exc:
        holder.clear()
        with holder:
            ui.label(exc.message).classes("text-negative font-bold").mark("verify-busy")
        return
    except Exception:  # a failure or an overlong verification: a message, never a spinner turning on
        holder.clear()
        with holder:
            show_failure(VERIFY_FAILED, "verify-failed")
        return
    spinner.delete()
    if isinstance(result, UploadRejected):
        with holder:
            ui.label(result.message).classes("text-negative").mark("upload-rejected")
        return
    with holder:
        show_result(result)


async def _check_and_verify(upload) -> VerificationResult | UploadRejected:
    data = await upload.read()
    try:
        await run.io_bound(check_upload, data, upload.name, {"pdf"}, MAX_UPLOAD_BYTES)
    except UploadRejected as exc:
        return exc
    return await io_bounded(verify_cached, data)


def verify_code_page(code: str, request: Request):
    if not LIMITER.allow(client_addr(request)):
        return _too_many_html()
    with public_frame("Kết quả tra cứu"):
        ui.label("Kết quả tra cứu bản sao").classes("text-xl font-bold text-blue-900")
        holder = ui.column().classes("w-full gap-2").mark("verify-result")
        with holder:
            ui.spinner(size="lg")

        async def load() -> None:
            try:
                result = await io_bounded(verify_by_code, code)
            except Exception:  # as for an upload: a message, never an endless spinner
                holder.clear()
                with holder:
                    show_failure(VERIFY_FAILED, "verify-failed")
                return
            holder.clear()
            with holder:
                if result is None:
                    banner(Status.NOT_FOUND, "Không có bản sao nào với mã tra cứu này. Hãy kiểm tra lại mã.")
                else:
                    show_result(result)

        ui.timer(0.01, load, once=True)
        ui.button("Tra cứu bản sao khác", icon="search", on_click=lambda: ui.navigate.to("/verify")).props(
            "flat"
        )
        ca_note()


def banner(status: Status, text: str | None = None) -> None:
    label, explanation, colour = STATUS_VIEW[status]
    with (
        ui.column()
        .classes(f"w-full {colour} text-white p-4 rounded gap-1")
        .props(f"data-testid=status-{status.value}")
        .mark(f"status-{status.value}")
    ):
        ui.label(label).classes("text-2xl font-bold")
        ui.label(text or explanation)


def show_result(result: VerificationResult) -> None:
    banner(result.status)
    reg = result.register
    with ui.card().classes("w-full"):
        if reg is not None:
            if result.status is Status.ALTERED:
                ui.label("Tệp được tạo ra từ bản sao đã cấp sau đây:").classes("font-medium")
            rows = [
                ("Cơ quan thực hiện chứng thực", reg.office),
                ("Số chứng thực", reg.certification_number),
                ("Quyển số", reg.book),
                ("Ngày chứng thực", format_local(reg.issued_at, "%d/%m/%Y")),
                ("Giấy tờ", reg.title),
                ("Số trang bản chính", str(reg.page_count)),
                ("Người yêu cầu chứng thực", shorten_name(reg.requester_name)),
            ]
            if reg.revoked_at is not None:
                rows += [
                    ("Ngày thu hồi", format_local(reg.revoked_at, "%d/%m/%Y")),
                    ("Lý do thu hồi", reg.revoke_reason or ""),
                ]
            for label, value in rows:
                with ui.row().classes("gap-2 no-wrap items-start"):
                    ui.label(f"{label}:").classes("text-gray-600 shrink-0")
                    ui.label(value).classes("font-medium break-words")
        ui.label("Chữ ký số").classes("font-bold mt-2")
        if not result.signatures:
            ui.label("Không có chữ ký số.")
        for sig in result.signatures:
            ok = sig.ok
            with ui.row().classes("items-center gap-2 no-wrap"):
                ui.icon("verified" if ok else "gpp_bad", color="positive" if ok else "negative")
                ui.label(
                    f"{ROLE_LABELS.get(sig.role, sig.role)}: {sig.signer}"
                    + (f" — ký lúc {format_local(sig.signed_at, '%H:%M %d/%m/%Y')}" if sig.signed_at else "")
                    + ("" if ok else " — không hợp lệ")
                )
        if result.level:
            ui.label(f"Mức chữ ký số: PAdES {result.level}").classes("text-sm text-gray-700").mark("level")
        for problem in result.problems:
            ui.label(problem).classes("text-negative text-sm")
        for note in result.notes:
            ui.label(note).classes("text-sm text-gray-700").mark("note")
        ui.label(f"Mã băm SHA-256 của tệp: {result.sha256}").classes(
            "text-xs text-gray-600 break-all mt-2"
        ).mark("sha256")


def ca_note() -> None:
    settings = get_settings()
    if settings.demo or settings.trust_roots:
        with ui.row().classes("items-center gap-2 text-sm"):
            ui.label("Để phần mềm đọc PDF tin cậy chữ ký số" + (" (bản demo)" if settings.demo else "") + ":")
            ui.link("tải chứng thư gốc", "/verify/ca.pem")
