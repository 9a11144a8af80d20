"""Nhật ký hệ thống through the User fixture (issue 3 item 7)."""
from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

from nicegui.testing import User
from openpyxl import load_workbook
from sqlmodel import select

from app.db import session_scope, write_scope
from domain import audit
from domain.audit import Actor
from domain.models import AuditEvent
from tests.ui.admin_support import account, set_input, sign_in


def seed_events(n: int) -> None:
    with write_scope() as s:
        for i in range(n):
            audit.record(
                s,
                Actor(account("vanthu").id, "Hoàng Văn Thư"),
                "unlock_official",
                target_type="account",
                target_id=account("motcua").id,
                office_id=1,
                summary=f"Sự kiện thử {i:02d}",
            )
        s.commit()


async def test_events_are_filtered_by_who_what_when_and_target(user: User):
    seed_events(3)
    await sign_in(user)
    await user.open("/admin/audit")
    await user.should_see("Tạo dữ liệu demo", retries=100)
    set_input(user, "a-actor", "hoang van thu")
    user.find(marker="a-apply").click()
    await user.should_see("Trang 1/1 — 3 kết quả", retries=100)
    await user.should_see("Sự kiện thử 02", retries=100)
    user.find(marker="a-actor").clear()
    user.find(marker="a-action").elements.pop().value = "sign_in"
    user.find(marker="a-apply").click()
    await user.should_see("Trang 1/1 — 1 kết quả", retries=100)
    await user.should_not_see("Sự kiện thử 02")
    user.find(marker="a-action").elements.pop().value = ""
    set_input(user, "a-target", "motcua")
    user.find(marker="a-apply").click()
    await user.should_see("Trang 1/1 — 3 kết quả", retries=100)
    set_input(user, "a-to", (date.today() - timedelta(days=3)).isoformat())
    user.find(marker="a-apply").click()
    await user.should_see(marker="no-events", retries=100)
    set_input(user, "a-from", date.today().isoformat())
    user.find(marker="a-apply").click()
    await user.should_see("Khoảng thời gian không hợp lệ: «từ ngày» phải trước «đến ngày».", retries=100)


async def test_events_are_paged_on_the_server(user: User):
    seed_events(60)
    await sign_in(user)
    await user.open("/admin/audit")
    await user.should_see("Trang 1/2 — 62 kết quả", retries=100)
    await user.should_see("Sự kiện thử 59", retries=100)
    await user.should_not_see("Sự kiện thử 05")
    user.find(marker="pager-next").click()
    await user.should_see("Trang 2/2 — 62 kết quả", retries=100)
    await user.should_see("Sự kiện thử 05", retries=100)


async def test_export_to_xlsx_is_itself_audited(user: User):
    seed_events(2)
    await sign_in(user)
    await user.open("/admin/audit")
    set_input(user, "a-actor", "Hoàng Văn Thư")
    user.find(marker="a-export").click()
    response = await user.download.next()
    sheet = load_workbook(BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:4] == ["STT", "Thời điểm", "Người thực hiện", "Thao tác"]
    assert (
        sheet.max_row == 4
        and sheet["C3"].value == "Hoàng Văn Thư"
        and sheet["D3"].value == "Mở khóa tài khoản"
    )
    with session_scope() as s:
        last = s.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert last.action == "export_audit" and "Xuất 2 sự kiện" in last.summary
