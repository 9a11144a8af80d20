"""/register and /stats through NiceGUI's User fixture (issue 8)."""
from __future__ import annotations

import asyncio
import io

from nicegui.testing import User
from pypdf import PdfReader

from app.db import UNITS
from app.signing import certification_service as service
from tests.support.register import Spec, add_entries, local
from tests.support.workflow import signed_dossier_ready, user_named
from tests.ui.admin_support import set_input, sign_in


async def test_register_search_and_entry(user: User):
    await sign_in(user, "chungthuc")
    add_entries([Spec("Nguyễn Văn An", "001099012345", "Giấy khai sinh", issued_at=local(2025, 3, 3)),
                 Spec("Trần Thị Bình", "001199000111", "Bằng tốt nghiệp", issued_at=local(2025, 3, 4))])
    await user.open("/register")
    await user.should_see("Số 2/ĐT — Bằng tốt nghiệp")
    await user.should_see("Trang 1/1 — 2 kết quả")
    set_input(user, "q-name", "tran thi")
    user.find(marker="search").click()
    await user.should_see("Trang 1/1 — 1 kết quả")
    await user.should_not_see("Số 1/ĐT — Giấy khai sinh")
    set_input(user, "q-name", "")
    set_input(user, "q-number", "xyz")
    user.find(marker="search").click()
    await user.should_see("Số chứng thực phải có chữ số")
    set_input(user, "q-number", "1")
    user.find(marker="search").click()
    await user.should_see("Số 1/ĐT — Giấy khai sinh")
    user.find(marker="open-1/ĐT").click()
    await user.should_see("Số chứng thực 1/ĐT", retries=100)
    await user.should_see("Nguyễn Văn An")
    await user.should_see(marker="download-copy")


async def test_entry_of_another_office_or_unknown_is_not_shown(user: User):
    await sign_in(user, "chungthuc")
    await user.open("/register/entry/424242")
    await user.should_see("Không tìm thấy mục này trong sổ của cơ quan.")


async def test_citizen_cannot_open_the_register(user: User):
    await sign_in(user, "001099012345")
    await user.open("/register")
    await user.should_see(marker="access-denied")
    await user.open("/stats")
    await user.should_see(marker="access-denied")


async def test_month_print_downloads(user: User):
    await sign_in(user, "vanthu")
    add_entries([Spec("Nguyễn Văn An", issued_at=local(2025, 3, 3))])
    await user.open("/register")
    await user.should_see("In sổ hằng tháng")
    await user.should_see("Khóa sổ cuối năm")  # the seal keeper sees the closing tools
    for element in user.find(marker="print-month").elements:
        element.value = 3
    for element in user.find(marker="print-year").elements:
        element.value = 2025
    user.find(marker="print-pdf").click()
    response = await user.download.next(timeout=20)
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Tháng 03/2025 có 1 việc chứng thực" in text
    user.find(marker="print-xlsx").click()
    response = await user.download.next(timeout=20)
    assert response.content[:2] == b"PK"


async def test_clerk_does_not_see_closing_tools(user: User):
    await sign_in(user, "chungthuc")
    await user.open("/register")
    await user.should_see("In sổ hằng tháng")
    await user.should_not_see("Khóa sổ cuối năm")


async def test_stats_page_shows_the_period(user: User):
    def issue() -> None:  # pyHanko runs its own event loop: off the test's loop
        dossier_id = signed_dossier_ready(pages=2)
        service.sign(UNITS, user_named("lanhdao"), dossier_id)
        service.seal(UNITS, user_named("vanthu"), dossier_id)

    await asyncio.to_thread(issue)
    await sign_in(user, "lanhdao")
    await user.open("/stats")
    await user.should_see("Việc chứng thực")
    await user.should_see(marker="st-steps")
    assert user.find(marker="st-entries").elements.pop().text == "1"
    assert user.find(marker="st-pages").elements.pop().text == "2"
    await user.should_see("Trần Văn Chứng: tiếp nhận 1, ký 0, đóng dấu 0")
    set_input(user, "s-from", "2020-01-01")
    set_input(user, "s-to", "2020-01-31")
    user.find(marker="s-show").click()
    await user.should_see("Chưa có công việc trong kỳ.")
    set_input(user, "s-to", "2019-01-31")
    user.find(marker="s-show").click()
    await user.should_see("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.")


async def test_menu_shows_register_and_stats(user: User):
    await sign_in(user, "chungthuc")
    await user.open("/")
    await user.should_see("Sổ chứng thực")
    await user.should_see("Thống kê")
