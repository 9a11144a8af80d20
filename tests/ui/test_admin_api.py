"""Ứng dụng tích hợp (API) through the User fixture: the administrator registers a bank's client and sees
its key once (only its digest is stored; the key works on the API), refuses a plain-http subscriber in a
real office, revokes the key, and reads the delivery log."""
from __future__ import annotations

import hashlib

from nicegui.testing import User
from sqlmodel import select

from app.db import session_scope
from domain.models import ApiClient, AuditEvent
from tests.support.api import api_http
from tests.ui.admin_support import set_input, sign_in, text_of


async def open_api_page(user: User) -> None:
    await sign_in(user)
    await user.open("/admin/api")
    await user.should_see(marker="api-register", retries=100)


def shown_key(user: User) -> str:
    return user.find(marker="api-key-shown").elements.pop().text


async def test_the_administrator_registers_a_client_sees_its_key_once_and_revokes_it(user: User):
    await open_api_page(user)
    set_input(user, "api-name", "Ngân hàng Thử nghiệm")
    user.find(marker="api-register").click()
    await user.should_see(marker="api-key-shown", retries=100)
    key = shown_key(user)
    with session_scope() as s:
        client = s.exec(select(ApiClient)).one()
        audited = s.exec(select(AuditEvent).where(AuditEvent.action == "api_client_register")).one()
    assert client.key_hash == hashlib.sha256(key.encode()).hexdigest() and key not in audited.summary
    async with api_http(key) as http:
        assert (await http.get("/copies/KHONGCO")).status_code == 404  # the key works
    await user.open("/admin/api")
    await user.should_see("Ngân hàng Thử nghiệm — đang hoạt động", retries=100)
    await user.should_not_see(marker="api-key-shown")  # shown once, never again
    user.find(marker=f"api-revoke-{client.id}").click()
    await user.should_see("Ngân hàng Thử nghiệm — ĐÃ THU HỒI", retries=100)
    async with api_http(key) as http:
        assert (await http.get("/copies/KHONGCO")).status_code == 401


async def test_a_plain_http_subscriber_is_refused_outside_demo(user: User, monkeypatch):
    await open_api_page(user)
    monkeypatch.setenv("DEMO", "0")
    from app.settings import reload_settings

    reload_settings()
    try:
        set_input(user, "api-name", "Hệ thống một cửa tỉnh")
        user.find(marker="api-scope-read").click()
        set_input(user, "api-webhook", "http://motcua.example.vn/hook")
        user.find(marker="api-register").click()
        assert "https://" in await text_of(user, "api-error")
    finally:
        monkeypatch.setenv("DEMO", "1")
        reload_settings()
    with session_scope() as s:
        assert s.exec(select(ApiClient)).first() is None  # nothing half-written
