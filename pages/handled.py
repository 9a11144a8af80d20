"""Hồ sơ đã xử lý — /handled (every official): the dossiers they received, signed or sealed, newest first.
/handled/{id}: the dossier's issued view — its copies (download for printing at the desk, verification link),
each e-mail's delivery status with «Gửi lại», and revocation by a leader of the office."""

from __future__ import annotations

from nicegui import ui

from app.views.copies import handled_page
from app.views.dossier import dossier_view
from app.web.actions import run_action
from app.web.auth import client_addr
from app.web.jobs import deliver_soon
from components.copy_link import verify_link_block
from components.dossier_view import dossier_summary
from components.frame import frame, official_page
from components.menu import MENU, MenuItem
from domain import outbox, revocation
from domain.access import AccessDenied, CurrentUser
from domain.clock import format_local
from domain.rights import Right
from domain.workflow import STATE_LABELS

EMAIL_STATUS = {
    "queued": ("Đang chờ gửi", "grey"),
    "sending": ("Đang gửi", "grey"),
    "sent": ("Đã gửi", "positive"),
    "retrying": ("Đang thử gửi lại", "warning"),
    "failed": ("Gửi không thành công", "negative"),
}


def add_routes() -> None:
    if not any(item.path == "/handled" for item in MENU):
        at = next((i + 1 for i, item in enumerate(MENU) if item.path == "/queue/seal"), len(MENU))
        MENU.insert(at, MenuItem("Hồ sơ đã xử lý", "/handled", "inventory_2", None, "official"))


@official_page("/handled", citizen=False)
def handled_list_page(user) -> None:
    with frame("Hồ sơ đã xử lý", user):
        state = {"page": 1}
        listing = ui.column().classes("w-full gap-2")

        def show() -> None:
            rows, page, pages = handled_page(user, state["page"])
            listing.clear()
            with listing:
                if not rows:
                    ui.label("Bạn chưa xử lý hồ sơ nào.").mark("handled-empty")
                for row in rows:
                    with (
                        ui.card()
                        .classes("w-full cursor-pointer")
                        .on("click", lambda i=row.id: ui.navigate.to(f"/handled/{i}"))
                    ):
                        with ui.row().classes("w-full items-center justify-between gap-2"):
                            with ui.column().classes("gap-0"):
                                ui.label(f"{row.code} — {row.requester_name}").classes("font-medium")
                                ui.label(
                                    f"Tiếp nhận {format_local(row.received_at)} · Vai trò: "
                                    f"{', '.join(row.roles)}"
                                ).classes("text-sm text-gray-600")
                                if row.numbers:
                                    ui.label(f"Số chứng thực: {', '.join(row.numbers)}").classes("text-sm")
                            with ui.row().classes("items-center gap-2"):
                                ui.badge(STATE_LABELS.get(row.state, row.state)).classes("text-sm px-2 py-1")
                                ui.button(
                                    "Xem",
                                    icon="visibility",
                                    on_click=lambda i=row.id: ui.navigate.to(f"/handled/{i}"),
                                ).props(f"outline data-testid=view-{row.id}").mark(f"view-{row.id}")
                if pages > 1:
                    ui.pagination(
                        1,
                        pages,
                        direction_links=True,
                        value=page,
                        on_change=lambda e: (state.update(page=e.value), show()),
                    )

        show()


@official_page("/handled/{dossier_id}", citizen=False)
def issued_view_page(user, dossier_id: int) -> None:
    with frame("Chi tiết hồ sơ", user):
        try:
            view = dossier_view(user, dossier_id)
        except AccessDenied as exc:
            ui.label(exc.message).classes("text-negative").mark("not-found")
            return
        if view.entries:
            copies_section(user, view)
        if view.emails:
            emails_section(user, view)
        dossier_summary(view)


def copies_section(user: CurrentUser, view) -> None:
    with ui.card().classes("w-full"):
        ui.label("Bản sao điện tử đã cấp").classes("text-lg font-bold")
        for entry in view.entries:
            with ui.column().classes("w-full gap-1 border-t pt-2"):
                ui.label(
                    f"Số chứng thực {entry.number_text} — quyển {entry.book} — «{entry.document_title}»"
                ).classes("font-medium").mark(f"entry-{entry.id}")
                ui.label(f"Cấp lúc {format_local(entry.issued_at)} · {entry.pages} trang").classes("text-sm")
                if entry.revoked_at:
                    ui.label(
                        f"ĐÃ THU HỒI ngày {format_local(entry.revoked_at)}: {entry.revoke_reason}"
                    ).classes("text-negative font-bold").mark("revoked")
                with ui.row().classes("gap-2 flex-wrap"):
                    ui.button(
                        "Tải bản sao (in cho người yêu cầu)",
                        icon="download",
                        on_click=lambda i=entry.id: ui.download.from_url(f"/download/copy/{i}"),
                    ).props(f"data-testid=download-{entry.id}").mark(f"download-{entry.id}")
                    if user.has(Right.SIGN_COPY) and not entry.revoked_at:
                        ui.button(
                            "Thu hồi bản sao", icon="block", on_click=lambda e=entry: revoke_dialog(user, e)
                        ).props(f"outline color=negative data-testid=revoke-{entry.id}").mark(
                            f"revoke-{entry.id}"
                        )
                verify_link_block(entry.verify_code)


def revoke_dialog(user: CurrentUser, entry) -> None:
    with ui.dialog() as dialog, ui.card().classes("w-full max-w-lg"):
        ui.label(f"Thu hồi bản sao số {entry.number_text}").classes("font-bold")
        ui.label(
            "Trang tra cứu công khai sẽ báo bản sao đã bị thu hồi, kèm ngày và lý do. Không thể hoàn tác."
        ).classes("text-sm")
        reason = (
            ui.textarea("Lý do thu hồi")
            .classes("w-full")
            .props("data-testid=revoke-reason")
            .mark("revoke-reason")
        )
        with ui.row().classes("w-full justify-end gap-2"):
            ui.button("Hủy", on_click=dialog.close).props("flat")

            async def confirm() -> None:
                if not (await run_action(revocation.revoke, entry.id, reason.value or "", client_addr(),
                                         right=Right.SIGN_COPY, record=("entry", entry.id))).ok:
                    return
                dialog.close()
                ui.notify(f"Đã thu hồi bản sao số {entry.number_text}.", type="positive")
                ui.navigate.reload()

            ui.button("Thu hồi", icon="block", on_click=confirm).props(
                "color=negative data-testid=revoke-confirm"
            ).mark("revoke-confirm")
    dialog.open()


def emails_section(user: CurrentUser, view) -> None:
    with ui.card().classes("w-full"):
        ui.label("Thư điện tử gửi người yêu cầu").classes("text-lg font-bold")
        for message in view.emails:
            label, color = EMAIL_STATUS.get(message.status, (message.status, "grey"))
            with ui.row().classes("w-full items-center gap-2 flex-wrap border-t pt-2"):
                ui.badge(label, color=color).classes("text-sm px-2 py-1").mark(
                    f"email-status-{message.status}"
                )
                ui.label(f"{message.to_addr} — {message.subject}").classes("text-sm")
                if message.status == "sent":
                    ui.label(f"lúc {format_local(message.sent_at)}").classes("text-sm text-gray-600")
                elif message.last_error:
                    ui.label(f"Lần thử {message.attempts}: {message.last_error}").classes(
                        "text-sm text-gray-600"
                    )
                if message.status != "sent":
                    ui.button("Gửi lại", icon="send", on_click=lambda m=message.id: resend(user, m)).props(
                        f"outline dense data-testid=resend-{message.id}"
                    ).mark(f"resend-{message.id}")


async def resend(user: CurrentUser, message_id: int) -> None:
    done = await run_action(outbox.send_email_again, message_id)
    if not done.ok:
        return
    if not done.value:
        ui.notify("Không tìm thấy thư này.", type="negative")
        return
    deliver_soon()
    ui.notify("Đã đưa thư vào hàng gửi lại.", type="positive")
