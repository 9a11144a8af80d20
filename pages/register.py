"""Sổ chứng thực — /register (any official; their office): search the register, open an entry, print a
month (PDF) or export it (Excel), and — for the seal keeper (seal_copy) — close a year with the office's
signature. /register/entry/{id}: one entry with its dossier's history and revocation."""
from __future__ import annotations

from nicegui import ui

from app.views.register import closed_year, entry_detail, monthly_export, year_status
from app.web.actions import read_now, run_steps
from app.web.auth import client_addr
from components.admin_common import error_label, pager
from components.dossier_common import vnd
from components.frame import frame, official_page
from components.remote_sign import OFFICE, approve_remote, end_remote
from domain import register as reg
from domain.access import CurrentUser
from domain.admin_audit_search import action_label
from domain.clock import format_local, to_local, utcnow
from domain.dates import parse_day
from domain.errors import DomainError
from domain.rights import Right


def _search(session, user: CurrentUser, query):
    return reg.search(session, user, query)


@official_page("/register", citizen=False)
def register_page(
    user,
    number: str = "",
    date_from: str = "",
    date_to: str = "",
    name: str = "",
    id_number: str = "",
    title: str = "",
    page: int = 1,
) -> None:
    state = {"page": page}
    with frame("Sổ chứng thực", user):
        # The button and Enter call search, defined below once the fields exist.
        fields, message = search_card(
            number, date_from, date_to, name, id_number, title, on_search=lambda: search(1)
        )

        def search(to_page: int) -> None:
            state["page"] = to_page
            results.refresh()

        @ui.refreshable
        def results() -> None:
            message.text = ""
            try:
                query = register_query(fields, state["page"])
            except DomainError as exc:
                message.text = exc.message
                return
            ok, found = read_now(_search, query, official=True, message=message)
            if not ok:
                return
            state["page"] = found.page
            if not found.rows:
                ui.label("Không có mục nào khớp điều kiện tìm.").mark("no-entries").props(
                    "data-testid=no-entries"
                )
                return
            for row in found.rows:
                entry_card(row)
            pager(found, search)

        results()
        month_tools(user)
        if user.has(Right.SEAL_COPY):
            closing_tools(user)


def search_card(number: str, date_from: str, date_to: str, name: str, id_number: str, title: str,
                on_search) -> tuple[dict, ui.label]:
    """The search fields (filled from the address) and the error label under them."""
    with ui.card().classes("w-full"):
        ui.label("Tra cứu sổ").classes("font-bold")
        with ui.row().classes("w-full items-end gap-2 flex-wrap"):
            f_number = ui.input("Số chứng thực", value=number).classes("w-36") \
                .mark("q-number").props("clearable data-testid=q-number")
            f_from = ui.input("Từ ngày", value=date_from).props("type=date data-testid=q-from") \
                .classes("w-44").mark("q-from")
            f_to = ui.input("Đến ngày", value=date_to).props("type=date data-testid=q-to") \
                .classes("w-44").mark("q-to")
            f_name = (
                ui.input("Tên người yêu cầu (bắt đầu bằng)", value=name)
                .classes("grow min-w-[14rem]")
                .mark("q-name")
                .props("clearable data-testid=q-name")
            )
            f_id = ui.input("Số định danh", value=id_number).classes("w-44") \
                .mark("q-id").props("clearable data-testid=q-id")
            f_title = ui.input("Tên giấy tờ (bắt đầu bằng)", value=title).classes("grow min-w-[14rem]") \
                .mark("q-title").props("clearable data-testid=q-title")
            ui.button("Tìm", icon="search", on_click=on_search).mark("search").props(
                "data-testid=search"
            )
        message = error_label("register-error")
    for field in (f_number, f_name, f_id, f_title):
        field.on("keydown.enter", on_search)
    fields = {"number": f_number, "from": f_from, "to": f_to, "name": f_name, "id": f_id, "title": f_title}
    return fields, message


def register_query(fields: dict, page: int) -> reg.RegisterQuery:
    """The query typed in the search fields; raises DomainError on a bad date."""
    return reg.RegisterQuery(
        number=fields["number"].value or "",
        date_from=parse_day(fields["from"].value),
        date_to=parse_day(fields["to"].value),
        name=fields["name"].value or "",
        id_number=fields["id"].value or "",
        title=fields["title"].value or "",
        page=page,
    )


def entry_card(row: reg.RegisterRow) -> None:
    with ui.card().classes("w-full cursor-pointer").props(f"data-testid=entry-{row.id}") \
            .on("click", lambda r=row: ui.navigate.to(f"/register/entry/{r.id}")):
        with ui.row().classes("w-full items-center justify-between gap-2 flex-wrap"):
            ui.label(f"Số {row.number_text} — {row.document_title}").classes("font-bold") \
                .mark(f"entry-{row.number_text}")
            with ui.row().classes("items-center gap-2"):
                if row.revoked:
                    ui.badge("Đã thu hồi", color="red")
                ui.label(format_local(row.issued_at)).classes("text-gray-700")
                ui.button(
                    "Xem", icon="visibility", on_click=lambda r=row: ui.navigate.to(f"/register/entry/{r.id}")
                ).props(f"flat dense data-testid=open-{row.id}").mark(f"open-{row.number_text}")
        ui.label(
            f"{row.requester_name}"
            + (f" — {row.requester_id_number}" if row.requester_id_number else "")
            + f" · {row.pages} trang · {row.copies} bản · {vnd(row.fee)} · Quyển {row.book}"
        ).classes("text-sm text-gray-700")


def month_tools(user: CurrentUser) -> None:
    today = to_local(utcnow()).date()
    with ui.card().classes("w-full"):
        ui.label("In sổ hằng tháng").classes("font-bold")
        with ui.row().classes("items-end gap-2 flex-wrap"):
            month = ui.select({m: f"Tháng {m:02d}" for m in range(1, 13)}, value=today.month, label="Tháng") \
                .classes("w-36").mark("print-month").props("data-testid=print-month")
            year = ui.number("Năm", value=today.year, min=2000, max=2200, precision=0).classes("w-28") \
                .mark("print-year").props("data-testid=print-year")
            ui.button("In sổ (PDF)", icon="print", on_click=lambda: export("pdf")).mark("print-pdf") \
                .props("data-testid=print-pdf")
            ui.button("Xuất Excel", icon="table_view", on_click=lambda: export("xlsx")).mark("print-xlsx") \
                .props("outline data-testid=print-xlsx")
        message = error_label("print-error")

    async def export(kind: str) -> None:
        message.text = ""
        try:
            y, m = int(year.value or 0), int(month.value or 0)
        except ValueError:
            message.text = "Tháng hoặc năm không hợp lệ."
            return
        ok, data = await run_steps(monthly_export, y, m, kind, official=True, message=message)
        if not ok:
            return
        ui.download(data, f"so-chung-thuc-{y}-{m:02d}.{kind}")


def closing_tools(user: CurrentUser) -> None:
    today = to_local(utcnow()).date()
    counters = year_status(user)
    with ui.card().classes("w-full"):
        ui.label("Khóa sổ cuối năm").classes("font-bold")
        ui.label(
            "Khi khóa, sổ của năm được chốt tổng số việc chứng thực và biên bản khóa sổ được ký số bằng chữ "
            "ký của cơ quan; không thể cấp thêm số vào sổ năm đó."
        ).classes("text-sm text-gray-700")
        for c in counters:
            with ui.row().classes("items-center gap-2"):
                if c.closed_at:
                    ui.label(
                        f"Năm {c.year}: đã khóa lúc {format_local(c.closed_at)}, {c.closed_total} việc."
                    ).mark(f"closed-{c.year}")
                    ui.button("Tải biên bản khóa sổ", icon="download",
                              on_click=lambda c=c: download_closing(c.year)).props("flat")
                else:
                    ui.label(f"Năm {c.year}: đang mở, số cuối {c.last_number}.")
        with ui.row().classes("items-end gap-2"):
            year = ui.number("Năm cần khóa", value=today.year - 1 if today.month < 12 else today.year,
                             precision=0).classes("w-36").mark("close-year").props("data-testid=close-year")
            ui.button("Khóa sổ", icon="lock", on_click=lambda: confirm.open()).props(
                "color=red data-testid=close"
            ).mark("close")
        message = error_label("close-error")
    with ui.dialog() as confirm, ui.card():
        ui.label("Khóa sổ chứng thực? Sau khi khóa không thể ghi thêm việc chứng thực vào sổ năm này.")
        with ui.row():
            ui.button("Khóa sổ", on_click=lambda: do_close()).props("color=red data-testid=close-confirm") \
                .mark("close-confirm")
            ui.button("Hủy", on_click=confirm.close).props("flat")

    async def do_close() -> None:
        confirm.close()
        message.text = ""
        from app.register_print import close_year

        chosen = int(year.value or 0)
        summary = f"Biên bản khóa sổ năm {chosen}"
        if not await approve_remote(user, OFFICE, [], client_addr(), document=summary):
            return
        try:
            ok, counter = await run_steps(close_year, chosen, client_addr(), slow=True,
                                           right=Right.SEAL_COPY, message=message)
        finally:
            end_remote(user, OFFICE)
        if not ok:
            return
        ui.notify(f"Đã khóa sổ năm {counter.year}: {counter.closed_total} việc chứng thực.", type="positive")
        ui.navigate.reload()


def download_closing(year: int) -> None:
    from app import files

    ok, counter = read_now(closed_year, year, official=True)
    if not ok:
        return
    if counter is None or not counter.closing_sha256:
        ui.notify("Không tìm thấy biên bản khóa sổ.", type="warning")
        return
    ui.download(files.read_bytes(counter.closing_sha256), f"bien-ban-khoa-so-{year}.pdf")


@official_page("/register/entry/{entry_id}", citizen=False)
def entry_page(user, entry_id: int) -> None:
    detail = entry_detail(user, entry_id)
    with frame("Mục sổ chứng thực", user):
        if detail is None:
            ui.label("Không tìm thấy mục này trong sổ của cơ quan.").mark("entry-not-found") \
                .props("data-testid=entry-not-found")
            return
        e, d = detail.entry, detail.dossier
        if detail.revocation:
            with ui.card().classes("w-full bg-red-50 border border-red-300"):
                ui.label(f"Bản sao đã bị thu hồi lúc {format_local(detail.revocation.at)}"
                         + (f" bởi {detail.revoked_by}" if detail.revoked_by else "")
                         + f". Lý do: {detail.revocation.reason}").mark("revoked")
        with ui.card().classes("w-full"):
            ui.label(f"Số chứng thực {e.number_text} — quyển {e.book}").classes("text-lg font-bold") \
                .mark("entry-number")
            rows = [
                ("Ngày giờ chứng thực", format_local(e.issued_at)),
                ("Người yêu cầu", e.requester_name),
                ("Số định danh", e.requester_id_number or ""),
                ("Giấy tờ (bản chính)", e.document_title),
                ("Cơ quan cấp bản chính", e.issuer),
                ("Số trang", str(e.pages)),
                ("Số bản sao", str(e.copies)),
                ("Phí chứng thực", vnd(e.fee)),
                ("Người thực hiện chứng thực", e.signer_name),
                ("Ghi chú", e.notes),
                ("Hồ sơ", d.code if d else ""),
                ("Mã tra cứu", e.verify_code),
                ("SHA-256 bản sao", e.file_sha256),
            ]
            for label, value in rows:
                with ui.row().classes("gap-2 flex-wrap"):
                    ui.label(f"{label}:").classes("text-gray-600 w-56")
                    ui.label(value).classes("break-all")
            ui.link("Tải bản sao (PDF)", f"/download/copy/{e.id}").mark("download-copy") \
                .props("data-testid=download-copy").classes("text-blue-800 underline")
        with ui.card().classes("w-full"):
            ui.label("Lịch sử hồ sơ").classes("font-bold")
            if not detail.events:
                ui.label("Chưa có sự kiện.")
            for ev in detail.events:
                ui.label(
                    f"{format_local(ev.at)} — {ev.actor_name}: {action_label(ev.action)} — {ev.summary}"
                ).classes("text-sm").mark(f"event-{ev.action}")
        ui.button("Về sổ chứng thực", icon="arrow_back", on_click=lambda: ui.navigate.to("/register")).props(
            "flat"
        )
