"""Hardening observed on the real server process (`python main.py`), not read from its source:
the session cookie is Secure exactly when BASE_URL is https, the security headers are on every response,
and X-Forwarded-For decides the rate-limited address only when the proxy is listed in FORWARDED_ALLOW_IPS."""
from __future__ import annotations

import subprocess

import httpx
import pytest

from tests.e2e.conftest import start_server

LIMIT = 60  # app.verification.public_verify.LIMITER: hits per minute and address


def _stop(server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="module")
def https_server(tmp_path_factory):
    """BASE_URL is https (TLS ends at nginx on this host); the proxy 127.0.0.1 is trusted (the default)."""
    server = start_server(tmp_path_factory.mktemp("https") / "data", {"BASE_URL": "https://chungthuc.example.vn"})
    yield server
    _stop(server)


@pytest.fixture(scope="module")
def untrusted_proxy_server(tmp_path_factory):
    """Plain-HTTP deployment whose only trusted proxy is elsewhere: our X-Forwarded-For is not believed."""
    server = start_server(tmp_path_factory.mktemp("http") / "data", {"FORWARDED_ALLOW_IPS": "10.255.255.1"})
    yield server
    _stop(server)


def _session_cookie(response: httpx.Response) -> str:
    cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    return next(c for c in cookies if c.startswith("session=")).lower()


def test_https_deployment_sends_a_secure_httponly_samesite_cookie(https_server):
    flags = _session_cookie(httpx.get(https_server.url + "/login", timeout=30))
    assert "secure" in flags and "httponly" in flags and "samesite=lax" in flags


def test_plain_http_deployment_sends_the_cookie_without_secure(untrusted_proxy_server):
    flags = _session_cookie(httpx.get(untrusted_proxy_server.url + "/login", timeout=30))
    assert "secure" not in flags.split("; ") and "httponly" in flags


def test_every_response_of_the_real_server_carries_the_security_headers(https_server):
    for path in ("/login", "/verify", "/healthz", "/verify/ca.pem", "/intake", "/khong-co-trang-nay"):
        response = httpx.get(https_server.url + path, timeout=30, follow_redirects=False)
        headers = response.headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert headers["x-frame-options"] == "DENY", path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "no-referrer", path
    behind_tls = httpx.get(https_server.url + "/login", headers={"X-Forwarded-Proto": "https"}, timeout=30)
    assert behind_tls.headers["strict-transport-security"].startswith("max-age=31536000")


def _hits_until_blocked(url: str, forwarded_for: str) -> list[int]:
    with httpx.Client(timeout=30) as client:
        return [
            client.get(
                url + "/verify/KHONGCO123.json", headers={"X-Forwarded-For": forwarded_for}
            ).status_code
            for _ in range(LIMIT + 1)
        ]


def test_a_trusted_proxy_forwards_the_client_address_to_the_rate_limit(https_server):
    statuses = _hits_until_blocked(https_server.url, "203.0.113.7")
    assert statuses[:LIMIT] == [404] * LIMIT and statuses[LIMIT] == 429
    other_client = httpx.get(https_server.url + "/verify/KHONGCO123.json",
                             headers={"X-Forwarded-For": "203.0.113.8"}, timeout=30)
    assert other_client.status_code == 404  # another citizen behind the same proxy is not blocked


def test_an_untrusted_sender_cannot_dodge_the_rate_limit_with_x_forwarded_for(untrusted_proxy_server):
    statuses = _hits_until_blocked(untrusted_proxy_server.url, "203.0.113.7")
    assert statuses[LIMIT] == 429
    dodge = httpx.get(untrusted_proxy_server.url + "/verify/KHONGCO123.json",
                      headers={"X-Forwarded-For": "198.51.100.99"}, timeout=30)
    assert dodge.status_code == 429  # a made-up X-Forwarded-For is ignored: still the same address
