"""Hộp thư SMS (issue 12.2 and the SMS part of 12.5), through the real page: it lists only the viewer's
office's messages, and outside demo mode it does not exist at all."""
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
    from app.startup import prepare_database

    prepare_database()  # seeds the demo office while DEMO=1
    monkeypatch.setenv("DEMO", "0")
    reload_settings()


async def test_outside_demo_mode_the_sms_page_does_not_exist(real_office, user: User):
    await sign_in(user, "admin")
    await user.should_not_see("Hộp thư SMS")  # no menu entry
    response = await user.http_client.get("/admin/sms")
    assert response.status_code == 404
    assert "0987654321" not in response.text
