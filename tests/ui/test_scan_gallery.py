"""A thick original's previews come 24 at a time (issue 35): building every preview of a 1,000-page
original at once held the event loop for half a second and slowed every other clerk's page; «Xem thêm»
shows the next ones."""

from __future__ import annotations

from nicegui.testing import User

from tests.support.workflow import signed_dossier_ready
from tests.ui.test_sign_seal_pages import sign_in


async def test_a_thick_original_shows_its_previews_in_batches_of_24(user: User):
    dossier_id = signed_dossier_ready(pages=30)
    await sign_in(user, "lanhdao")
    await user.open(f"/queue/sign/{dossier_id}")
    await user.should_see("Bản scan (30 trang)", retries=100)
    await user.should_see("Xem thêm 6 trang (còn 6 trang)")
    await user.should_see("Trang 24")
    await user.should_not_see("Trang 25")
    user.find("Xem thêm 6 trang (còn 6 trang)").click()
    await user.should_see("Trang 30")
    await user.should_see(marker="scan-preview", retries=200)
    await user.should_not_see("Xem thêm")
