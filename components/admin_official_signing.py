"""'Chữ ký số của người ký' on an official's page: the leader's own key (file, token or remote CSC)."""
from __future__ import annotations

from nicegui import ui

from app.signing import keystore
from app.web.actions import read_now, run_action
from components.admin_common import error_label
from components.admin_signing_form import SigningForm
from domain.official_signing import official_signing
from domain.rights import Right
from domain.signing_keys import token_choices


def official_signing_card(account_id: int) -> None:
    message = error_label("official-signing-error")
    ok, config = read_now(official_signing, account_id, right=Right.ADMINISTER, message=message)
    if not ok:
        return
    tokens = read_now(token_choices, right=Right.ADMINISTER).value or {}
    form = SigningForm(config, title="Chữ ký số của người ký (lãnh đạo)", tokens=tokens)

    async def save() -> None:
        await run_action(
            keystore.set_official_signing,
            account_id,
            form.value(),
            right=Right.ADMINISTER,
            record=("account", account_id),
            message=message,
            success="Đã lưu chữ ký số của người ký.",
        )

    ui.button("Lưu chữ ký số", icon="save", on_click=save).props(
        "outline data-testid=save-official-signing"
    ).mark("save-official-signing")
