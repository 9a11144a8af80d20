"""Hardening: security headers (HSTS behind TLS), cookie flags, rate limits (sign-in, OTP, verification),
no stack traces shown to users, and logs without passwords, OTP codes or ID numbers."""
from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta

import pytest
from nicegui import app, ui
from nicegui.testing import User
from sqlmodel import select

from app.db import session_scope, write_scope
from domain.access import load_current_user
from domain.clock import utcnow
from tests.support.sms import sms_text


async def test_pages_and_routes_carry_the_security_headers(user: User):
    for path in ("/login", "/verify", "/healthz", "/verify/ca.pem"):
        response = await user.http_client.get(path)
        headers = response.headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert "object-src 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert "strict-transport-security" not in headers  # plain HTTP: no HSTS
    behind_tls = await user.http_client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert behind_tls.headers["strict-transport-security"].startswith("max-age=31536000")
    redirect = await user.http_client.get("/intake", follow_redirects=False)  # the sign-in redirect too
    assert redirect.status_code in (302, 307) and redirect.headers["x-frame-options"] == "DENY"


async def test_session_cookie_is_httponly_and_samesite(user: User):
    user.http_client.cookies.clear()
    response = await user.http_client.get("/login")
    cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    session_cookie = next(c for c in cookies if c.startswith("session="))
    flags = session_cookie.lower()
    assert "httponly" in flags and "samesite=lax" in flags
    assert "path=/" in flags


async def test_login_page_waits_before_answering_an_address_that_keeps_failing(user: User):
    """The page really sleeps (observed as time to the answer), not just computes a delay.
    The secure-cookie behaviour is observed on the real server: tests/integration/test_hardening_live.py."""
    import time

    from domain.models import LoginFailure

    async def attempt() -> float:
        await user.open("/login")
        user.find(marker="login").type("khongco")
        user.find(marker="password").type("sai-mat-khau")
        started = time.monotonic()
        user.find(marker="submit").click()
        await user.should_see("Tên đăng nhập hoặc mật khẩu không đúng.", retries=200)
        return time.monotonic() - started

    await attempt()  # one failure, to learn the address the page sees
    with write_scope() as session:
        addr = session.exec(select(LoginFailure.client_addr)).one()
        session.add_all([LoginFailure(client_addr=addr) for _ in range(11)])  # 12 failures: 4 s delay
        session.commit()
    assert await attempt() >= 4.0


def test_sign_in_from_a_failing_address_is_slowed_down(demo_db):
    from domain.accounts import SignInError, address_delay_seconds, sign_in

    with session_scope() as session:
        assert address_delay_seconds(session, "10.9.9.9") == 0
    for i in range(8):
        with write_scope() as session, pytest.raises(SignInError):
            sign_in(session, f"khongco{i}", "sai-mat-khau", client_addr="10.9.9.9")
    with session_scope() as session:
        assert address_delay_seconds(session, "10.9.9.9") >= 2.0
        assert address_delay_seconds(session, "10.9.9.10") == 0  # another address is not slowed


def test_otp_sending_is_limited_per_phone(demo_db):
    from domain import otp

    now = utcnow()
    with write_scope() as session:
        otp.issue(session, "0934567890", "otp_create_account", "001201004321", now)
        session.commit()
    with write_scope() as session, pytest.raises(otp.OtpError) as err:
        otp.issue(session, "0934567890", "otp_create_account", "001201004321", now + timedelta(seconds=5))
    assert "giây" in err.value.message or err.value.wait_seconds > 0
    later = now
    sent = 1
    with pytest.raises(otp.OtpError):
        for _ in range(otp.MAX_SENDS_PER_HOUR + 1):
            later += timedelta(seconds=otp.RESEND_SECONDS + 1)
            with write_scope() as session:
                otp.issue(session, "0934567890", "otp_create_account", "001201004321", later)
                session.commit()
            sent += 1
    assert sent == otp.MAX_SENDS_PER_HOUR


def test_otp_guessing_is_stopped_after_five_wrong_codes(demo_db):
    from domain import otp

    now = utcnow()
    with write_scope() as session:
        issued = otp.issue(session, "0934567891", "p", "s", now)
        session.commit()
    wrong = "000000" if issued.code != "000000" else "111111"
    for _ in range(otp.MAX_WRONG):
        with write_scope() as session:
            with pytest.raises(otp.OtpError):
                otp.consume(session, "0934567891", "p", "s", wrong, now)
            session.commit()
    with write_scope() as session, pytest.raises(otp.OtpError) as err:
        otp.consume(session, "0934567891", "p", "s", issued.code, now)  # even the right code now
    assert err.value.message == otp.TOO_MANY_WRONG


async def test_verification_is_rate_limited_per_address(user: User):
    from app.verification.public_verify import LIMITER

    LIMITER.reset()
    statuses = [
        (await user.http_client.get("/verify/KHONGCO123.json")).status_code for _ in range(LIMITER.limit)
    ]
    assert set(statuses) == {404}
    blocked = await user.http_client.get("/verify/KHONGCO123.json")
    assert blocked.status_code == 429 and blocked.headers["retry-after"] == "60"
    assert "quá nhiều lần" in blocked.json()["message"]
    page = await user.http_client.get("/verify/KHONGCO123")
    assert page.status_code == 429 and "quá nhiều lần" in page.text
    LIMITER.reset()


def _drop_test_routes() -> None:
    app.router.routes[:] = [r for r in app.router.routes if "__test_" not in getattr(r, "path", "")]


async def test_an_exception_in_a_route_shows_the_calm_vietnamese_page(user: User, caplog):
    from app.web.hardening import error_page

    @app.get("/healthz/__test_boom")
    def boom():
        raise RuntimeError("secret internal detail /etc/passwd")

    user.http_client._transport.raise_app_exceptions = False  # like a real server: the client gets the page
    response = await user.http_client.get("/healthz/__test_boom")
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in response.text
    for leak in ("Traceback", "RuntimeError", "secret internal detail", ".py"):
        assert leak not in response.text
    # and the handler itself, for a request that never reached a route
    from starlette.requests import Request

    direct = await error_page(Request({"type": "http", "path": "/x", "headers": [], "method": "GET",
                                       "query_string": b""}), ValueError("boom"))
    assert direct.status_code == 500 and b"Traceback" not in direct.body
    assert any("unhandled error" in r.getMessage() for r in caplog.records)  # details go to the log instead
    caplog.clear()  # these ERROR records are expected
    _drop_test_routes()


async def test_an_exception_while_building_a_page_shows_no_traceback(user: User, caplog):
    def broken_page():
        raise RuntimeError("secret internal detail in a page")

    ui.page("/healthz/__test_broken_page")(broken_page)
    user.http_client._transport.raise_app_exceptions = False
    response = await user.http_client.get("/healthz/__test_broken_page")
    assert response.status_code == 500
    for leak in ("Traceback", "secret internal detail", 'File "'):
        assert leak not in response.text, leak
    caplog.clear()
    _drop_test_routes()


def test_logs_hold_no_passwords_otp_codes_or_id_numbers(demo_db, caplog):
    from app.files import store_bytes
    from app.outbox.sms import deliver_pending_sms
    from domain import citizen_accounts as desk
    from domain.accounts import SignInError, sign_in
    from domain.models import Account, SmsMessage, Unit

    caplog.set_level(logging.DEBUG)
    wrong_password = "Sai-Mat-Khau-9137"
    with write_scope() as session, pytest.raises(SignInError):
        sign_in(session, "chungthuc", wrong_password, client_addr="10.1.1.1")
    with write_scope() as session:
        sign_in(session, "chungthuc", "demo1234", client_addr="10.1.1.1")
    with session_scope() as session:
        motcua = session.exec(select(Account).where(Account.username == "motcua")).one()
        unit = session.exec(select(Unit).where(Unit.code == "HK-MOTCUA")).one()
        clerk = replace(load_current_user(session, motcua), client_addr="10.1.1.1")
    new_id, phone = "001201007788", "0934567892"
    with write_scope() as session:
        sha = store_bytes(b"%PDF-1.4 fake scan", "application/pdf", session)
        session.commit()
    draft = desk.CitizenDraft(id_number=new_id, full_name="Trần Thị Bình", date_of_birth=utcnow().date()
                              .replace(year=2001), phone=phone, one_stop_unit_id=unit.id, id_scan_sha256=sha,
                              email="binh@example.vn", sex="Nữ")
    with write_scope() as session:
        desk.record_request_form(session, clerk, draft)
    with write_scope() as session:
        desk.send_account_otp(session, clerk, draft, utcnow())
    deliver_pending_sms()
    with session_scope() as session:
        otp_sms = session.exec(select(SmsMessage).where(SmsMessage.purpose == "otp_create_account")).one()
    code = next(w for w in sms_text(otp_sms).replace(".", " ").split() if len(w) == 6 and w.isdigit())
    with write_scope() as session:
        desk.create_citizen_account(session, clerk, draft, code, utcnow())
    deliver_pending_sms()
    with session_scope() as session:
        password_sms = session.exec(select(SmsMessage).where(SmsMessage.purpose == "temp_password")).one()
    temp_password = sms_text(password_sms).split("Mat khau tam thoi: ")[1].split()[0]
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert caplog.records, "expected some log records (SMS outbox)"
    for secret in (wrong_password, "demo1234", code, temp_password, new_id, "001099012345"):
        assert secret not in logged, f"log contains a secret: {secret}"
