"""Cấu hình cơ quan through the User fixture (issue 3 item 6)."""
from __future__ import annotations

from datetime import date

from nicegui.testing import User
from sqlmodel import select

from app.db import session_scope
from domain.models import AuditEvent, Office, OfficeDay
from tests.ui.admin_support import set_input, sign_in, text_of


def office() -> Office:
    with session_scope() as s:
        return s.exec(select(Office)).one()


async def open_office(user: User) -> None:
    await sign_in(user)
    await user.open("/admin/office")
    await user.should_see(marker="save-office", retries=100)


async def test_settings_are_saved_and_the_audit_names_the_fields(user: User):
    await open_office(user)
    user.find(marker="o-kind").elements.pop().value = "district_justice_office"
    set_input(user, "o-hours", "07:30-11:30, 13:30-17:00")
    user.find(marker="o-saturday").click()
    set_input(user, "o-saturday-hours", "08:00-11:30")
    set_input(user, "o-titles", "Chủ tịch UBND phường\nPhó Chủ tịch UBND phường\nTrưởng phòng")
    user.find(marker="o-pay-later").click()
    user.find(marker="save-office").click()
    await user.should_see(
        "Đã lưu: loại cơ quan, chức danh lãnh đạo, giờ làm việc, tiếp nhận thứ Bảy, giờ thứ Bảy, "
        "cho phép nộp phí sau",
        retries=100,
    )
    saved = office()
    assert saved.kind == "district_justice_office" and saved.office_hours == [
        ["07:30", "11:30"],
        ["13:30", "17:00"],
    ]
    assert saved.saturday_reception and saved.saturday_hours == [["08:00", "11:30"]] and saved.allow_pay_later
    assert saved.leader_titles[-1] == "Trưởng phòng"
    with session_scope() as s:
        event = s.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event.action == "update_office_settings" and "giờ làm việc" in event.summary


async def test_bad_times_and_templates_are_refused_in_vietnamese(user: User):
    await open_office(user)
    set_input(user, "o-hours", "13:00-12:00, 8h-17h")
    set_input(user, "o-book", "Quyển {quyen}")
    set_input(user, "o-number", "{year}")
    set_input(user, "o-statement", "Chứng thực bản sao đúng với bản chính. Ngày {dd}")
    user.find(marker="save-office").click()
    await user.should_see(marker="office-error", retries=100)
    error = await text_of(user, "office-error")
    for part in ["Giờ làm việc: giờ phải theo dạng GG:PP", "Nhãn quyển sổ: chỉ được dùng {book}, {year}",
                 "Định dạng số chứng thực: phải có {n}", "Mẫu lời chứng: phải có {number}"]:
        assert part in error
    assert office().office_hours == [["08:00", "12:00"], ["13:00", "17:00"]]


async def test_hours_must_be_ordered(user: User):
    await open_office(user)
    set_input(user, "o-hours", "13:00-17:00, 08:00-12:00")
    user.find(marker="save-office").click()
    await user.should_see("Giờ làm việc: các khoảng giờ phải theo thứ tự và không chồng nhau (08:00–12:00).")


async def test_extra_days_off_and_make_up_days_are_added_and_removed(user: User):
    await open_office(user)
    set_input(user, "d-day", "2026-01-02")
    set_input(user, "d-note", "Nghỉ bù")
    user.find(marker="add-day").click()
    await user.should_see("02/01/2026 — Ngày nghỉ thêm (Nghỉ bù)")
    set_input(user, "d-day", "10/01/2026")
    user.find(marker="d-kind").elements.pop().value = "work"
    user.find(marker="add-day").click()
    await user.should_see("10/01/2026 — Ngày làm việc bù", retries=100)
    set_input(user, "d-day", "2026-01-02")
    user.find(marker="add-day").click()
    await user.should_see("Ngày 02/01/2026 đã có trong danh sách (Ngày nghỉ thêm).")
    user.find(marker="remove-day-2026-01-02").click()
    await user.should_not_see(marker="day-2026-01-02")
    with session_scope() as s:
        assert [(d.day, d.kind) for d in s.exec(select(OfficeDay))] == [(date(2026, 1, 10), "work")]


async def test_office_page_warns_while_no_time_stamp_server_is_set(user: User, monkeypatch):
    from app.settings import reload_settings

    await open_office(user)
    await user.should_not_see(marker="tsa-warning")  # demo mode: the demo TSA
    monkeypatch.setenv("DEMO", "0")
    monkeypatch.delenv("TSA_URL", raising=False)
    reload_settings()
    await user.open("/admin/office")
    await user.should_see(marker="tsa-warning")
    await user.should_see("Chưa cấu hình máy chủ cấp dấu thời gian")
    monkeypatch.setenv("TSA_URL", "http://tsa.example.vn/tsr")  # a real CA's TSA set: the warning goes
    reload_settings()
    await user.open("/admin/office")
    await user.should_see(marker="save-office", retries=100)  # the page is drawn
    await user.should_not_see(marker="tsa-warning")
