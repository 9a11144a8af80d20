"""Hộp thư SMS (issue 12.2, the SMS part of 12.5, and 34.5), through the real page: it lists only the
viewer's office's messages; outside demo mode it shows failures with every secret masked, and an
administrator sends a failed message again."""
from __future__ import annotations

import pytest
from nicegui.testing import User
from sqlmodel import select

from app.db import write_scope
from domain.models import Office, SmsMessage
from tests.ui.test_sign_in_pages import sign_in


def add_sms(office_id: int | None, phone: str, body: str) -> None:
    with write_scope() as session:
        session.add(SmsMessage(phone=phone, body=body, purpose="notice", office_id=office_id))
        session.commit()


async def test_admin_sees_only_the_sms_of_their_own_office(user: User):
    with write_scope() as session:
        own_id = session.exec(select(Office)).one().id
    other_id = own_id + 1000  # another office of the city
    add_sms(own_id, "0911000001", "Tin cua co quan minh")
    add_sms(other_id, "0922000002", "Tin cua co quan khac")
    add_sms(None, "0933000003", "Tin khong ro co quan")
    await sign_in(user, "admin")
    await user.open("/admin/sms")
    await user.should_see("Hộp thư SMS (demo)")
    rows = user.find(marker="sms-table").elements.pop().rows
    assert [r["phone"] for r in rows] == ["0911000001"]


@pytest.fixture
def real_office(monkeypatch):
    """The demo office's accounts, but served with DEMO=0 (a real office)."""
    from app.settings import reload_settings
    from app.web.startup import prepare_database

    prepare_database()  # seeds the demo office while DEMO=1
    monkeypatch.setenv("DEMO", "0")
    reload_settings()


async def test_outside_demo_mode_the_administrator_sees_a_failure_masked_and_resends_it(real_office,
                                                                                        user: User):
    from datetime import timedelta

    from app.db import session_scope
    from domain.clock import utcnow
    from domain.sms import SECRET, queue_sms

    with write_scope() as session:
        office_id = session.exec(select(Office)).one().id
        message = queue_sms(session, "0987654321", f"Mat khau tam thoi: {SECRET} .", "temp_password",
                            secret="Xy7kPq9mNa2b", office_id=office_id, valid_for=timedelta(hours=72))
        message.status, message.attempts, message.last_error = "failed", 31, "gateway answered HTTP 503"
        message.created_at = utcnow() - timedelta(hours=25)
        session.commit()
        message_id = message.id
    await sign_in(user, "admin")
    await user.should_see("Hộp thư SMS")  # the menu entry
    await user.open("/admin/sms")
    table = user.find(marker="sms-table").elements.pop()
    assert [r["status"] for r in table.rows] == ["lỗi — lần thử 31: gateway answered HTTP 503"]
    assert "Xy7kPq9mNa2b" not in str(table.rows)  # masked outside demo mode
    user.find("Gửi lại tin đã chọn").click()
    await user.should_see("Hãy chọn một tin nhắn ở trạng thái «lỗi» để gửi lại.")
    table.selected = [r for r in table.rows if r["id"] == message_id]
    user.find("Gửi lại tin đã chọn").click()
    await user.should_see("Đã đưa tin nhắn vào hàng chờ gửi lại.", retries=100)
    with session_scope() as session:
        assert session.get(SmsMessage, message_id).status in ("queued", "sending", "sent")


async def test_the_copy_ready_sms_of_a_seal_shows_on_the_office_sms_page(user: User):
    """Issue 28: the seal's "copy ready" notice is queued with its office, so the office's page lists it."""
    from tests.ui.test_sign_seal_pages import dossier_code, issued_copy

    dossier_id, _entry = await issued_copy()
    await sign_in(user, "admin")
    await user.open("/admin/sms")
    rows = user.find(marker="sms-table").elements.pop().rows
    assert [r["phone"] for r in rows] == ["0987654321"]
    assert f"ho so {dossier_code(dossier_id)} da co ban sao dien tu chung thuc" in rows[0]["body"]


async def test_sending_the_waiting_sms_from_the_page_sends_only_the_clickers_office(user: User):
    """Issue 28: a click delivers the clicker's office's messages; another office's wait for the job."""
    from app.db import session_scope

    with write_scope() as session:
        own_id = session.exec(select(Office)).one().id
    add_sms(own_id, "0911000001", "Tin cua co quan minh")
    add_sms(own_id + 1000, "0922000002", "Tin cua co quan khac")
    await sign_in(user, "admin")
    await user.open("/admin/sms")
    user.find(marker="sms-retry").click()
    await user.should_see("Đã gửi 1 tin nhắn.", retries=100)
    with session_scope() as session:
        status = {m.phone: m.status for m in session.exec(select(SmsMessage))}
    assert status == {"0911000001": "sent", "0922000002": "queued"}
