"""'Chữ ký số của người ký' on an official's page: the leader's own key (file, token or remote CSC)."""
from __future__ import annotations

from nicegui import ui

from components.admin_common import act, error_label, read
from components.admin_signing_form import SigningForm
from domain.official_signing import official_signing, set_official_signing


def official_signing_card(account_id: int) -> None:
    message = error_label("official-signing-error")
    ok, config = read(lambda s, u: official_signing(s, u, account_id), message)
    if not ok:
        return
    form = SigningForm(config, title="Chữ ký số của người ký (lãnh đạo)")

    def save() -> None:
        act(lambda s, u, a: set_official_signing(s, u, a, account_id, form.value()), message,
            success="Đã lưu chữ ký số của người ký.")

    ui.button("Lưu chữ ký số", icon="save", on_click=save).props("outline data-testid=save-official-signing") \
        .mark("save-official-signing")
