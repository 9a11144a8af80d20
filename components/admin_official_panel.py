"""One official: edit the account and its unit, change its status, and its rights in the office."""
from __future__ import annotations

from nicegui import ui

from app.web.actions import read_now, run_action
from components.admin_common import error_label, status_badge
from components.admin_official_form import official_form
from components.admin_official_signing import official_signing_card
from domain import right_requests
from domain.access import CurrentUser
from domain.administration import (
    ADMIN_GROUP_RIGHTS,
    CERTIFICATION_GROUP_RIGHTS,
    get_official,
    reset_password,
    right_refusal,
    set_rights,
    set_status,
    unlock,
    update_official,
)
from domain.models import Account
from domain.right_requests import SEPARATED_RIGHTS
from domain.rights import RIGHT_LABELS, Right

ADMIN = Right.ADMINISTER


def official_panel(user: CurrentUser, account_id: int) -> None:
    notes: list[str] = []

    @ui.refreshable
    def body() -> None:
        message = error_label("official-error")
        ok, row = read_now(get_official, account_id, right=ADMIN, message=message)
        if not ok:
            return
        with ui.row().classes("items-center gap-2"):
            ui.label(f"{row.full_name} ({row.username})").classes("text-lg font-bold").mark("official-name")
            status_badge(row.status_label)
        for note in notes:
            ui.label(note).classes("text-orange-900").mark("official-note").props("data-testid=official-note")
        notes.clear()
        with ui.card().classes("w-full gap-2"):
            ui.label("Thông tin tài khoản").classes("font-bold")
            form = official_form(row)

            async def save() -> None:
                done, result = await run_action(
                    update_official,
                    account_id,
                    form.value(),
                    right=ADMIN,
                    record=("account", account_id),
                    message=message,
                    success="Đã lưu thông tin tài khoản.",
                )
                if done:
                    notes.extend(result)
                    body.refresh()

            ui.button("Lưu thông tin", icon="save", on_click=save).mark("save-official") \
                .props("data-testid=save-official")
        status_actions(row, message, body.refresh)
        rights_card(user, row, body.refresh)
        official_signing_card(account_id)

    body()


def status_actions(row, message: ui.label, refresh) -> None:
    async def run(fn, success: str, *args) -> None:
        if (
            await run_action(
                fn,
                row.id,
                *args,
                right=ADMIN,
                record=("account", row.id),
                message=message,
                success=success,
            )
        ).ok:
            refresh()

    with ui.card().classes("w-full gap-2"):
        ui.label("Trạng thái và mật khẩu").classes("font-bold")
        with ui.row().classes("gap-2 flex-wrap"):
            if row.status == "pending":
                ui.button(
                    "Kích hoạt và gửi mật khẩu qua SMS",
                    icon="sms",
                    on_click=lambda: run(reset_password, "Đã kích hoạt; mật khẩu đã được gửi qua SMS."),
                ).mark("activate").props("data-testid=activate")
            elif row.status == "active":
                ui.button(
                    "Cấp lại mật khẩu (gửi SMS)",
                    icon="key",
                    on_click=lambda: run(
                        reset_password, "Đã cấp lại mật khẩu; mật khẩu mới đã được gửi qua SMS."
                    ),
                ).props("outline data-testid=reset-password").mark("reset-password")
            if row.locked:
                ui.button("Mở khóa", icon="lock_open",
                          on_click=lambda: run(unlock, "Đã mở khóa tài khoản.")) \
                    .mark("unlock").props("data-testid=unlock")
            if row.status == "disabled":
                ui.button("Kích hoạt lại", icon="check_circle",
                          on_click=lambda: run(set_status, "Đã kích hoạt lại tài khoản.", "active")) \
                    .mark("reactivate").props("data-testid=reactivate")
            else:
                ui.button("Vô hiệu hóa", icon="block",
                          on_click=lambda: run(set_status, "Đã vô hiệu hóa tài khoản.", "disabled")) \
                    .props("outline color=negative data-testid=deactivate").mark("deactivate")


def rights_card(user: CurrentUser, row, refresh) -> None:
    """C8 and A4: the rights the official holds in the office in use, in two groups; saved together."""
    ok, refusals = read_now(
        lambda s, u: {r: right_refusal(s, s.get(Account, row.id), r) for r in RIGHT_LABELS},
        right=ADMIN,
        record=("account", row.id),
    )
    if not ok:
        return
    boxes: dict[str, ui.checkbox] = {}
    with ui.card().classes("w-full gap-1"):
        ui.label(f"Quyền tại {user.office_name}").classes("font-bold")
        for title, rights in [
            ("Quyền chứng thực", CERTIFICATION_GROUP_RIGHTS),
            ("Nhóm quyền quản trị", ADMIN_GROUP_RIGHTS),
        ]:
            ui.label(title).classes("mt-2 font-medium text-blue-900")
            for right in rights:
                boxes[right] = ui.checkbox(RIGHT_LABELS[right], value=right in row.rights) \
                    .mark(f"right-{right}").props(f"data-testid=right-{right}")
                if refusals[right] and right not in row.rights:
                    ui.label(refusals[right]).classes("text-sm text-orange-900 ml-10") \
                        .mark(f"hint-{right}").props(f"data-testid=hint-{right}")
        message = error_label("rights-error")

        async def save() -> None:
            wanted = {r for r, box in boxes.items() if box.value}
            done, result = await run_action(set_rights, row.id, wanted, right=ADMIN,
                                            record=("account", row.id), message=message)
            if done:
                granted, revoked = result
                proposed = [r for r in SEPARATED_RIGHTS if r in wanted - set(row.rights)]
                text = "Đã lưu quyền." if granted or revoked else "Quyền không thay đổi."
                if proposed:
                    text = (("Đã lưu quyền. " if granted or revoked else "")
                            + "Quyền ký/đóng dấu đã được đề nghị, chờ một quản trị viên khác phê duyệt.")
                ui.notify(text, type="positive", multi_line=True)
                refresh()

        ui.button("Lưu quyền", icon="save", on_click=save).mark("save-rights").props(
            "data-testid=save-rights"
        )
        pending_card(row.id, refresh)


def pending_card(account_id: int, refresh) -> None:
    """Signing and sealing rights proposed for this official, waiting for a second administrator."""
    ok, pending = read_now(right_requests.pending_requests, account_id, right=ADMIN,
                           record=("account", account_id))
    if not ok or not pending:
        return
    message = error_label("requests-error")
    ui.label("Chờ phê duyệt (cần một quản trị viên khác)").classes("mt-2 font-medium text-blue-900")
    for request in pending:
        with ui.row().classes("items-center gap-2 w-full").mark(f"request-{request['right']}"):
            ui.label(f"{request['label']} — đề nghị bởi {request['by']}").classes("grow")

            async def decide(use_case, text: str, request_id: int = request["id"]) -> None:
                done, _ = await run_action(use_case, request_id, right=ADMIN,
                                           record=("account", account_id), message=message, success=text)
                if done:
                    refresh()

            if request["may_approve"]:
                ui.button("Phê duyệt", icon="check",
                          on_click=lambda d=decide: d(right_requests.approve, "Đã phê duyệt và cấp quyền.")) \
                    .props(f"data-testid=approve-{request['right']}").mark(f"approve-{request['right']}")
            ui.button("Hủy đề nghị", icon="close",
                      on_click=lambda d=decide: d(right_requests.withdraw, "Đã hủy đề nghị.")) \
                .props(f"flat data-testid=withdraw-{request['right']}").mark(f"withdraw-{request['right']}")
