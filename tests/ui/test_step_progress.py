"""A leader signing (here held at the signing step) sees what is happening, not a frozen button; the line
goes when the result comes."""
from __future__ import annotations

import threading

from nicegui.testing import User

from app.signing import sign_seal
from tests.support.workflow import signed_dossier_ready
from tests.ui.test_sign_seal_pages import sign_in


async def test_the_leader_sees_what_a_long_signing_is_doing(user: User, monkeypatch):
    dossier_id = signed_dossier_ready(pages=1)
    gate = threading.Event()
    real = sign_seal.sign_file_as_leader

    def held(*args, **kwargs):
        gate.wait(120)
        return real(*args, **kwargs)

    monkeypatch.setattr(sign_seal, "sign_file_as_leader", held)
    await sign_in(user, "lanhdao")
    await user.open(f"/queue/sign/{dossier_id}")
    user.find(marker="do-action").click()
    try:
        await user.should_see("Đang ký số và lấy dấu thời gian cho «Giấy khai sinh»", retries=300)
    finally:
        gate.set()
    await user.should_see("Đã ký số hồ sơ", retries=300)
    await user.should_not_see(marker="step-progress")
