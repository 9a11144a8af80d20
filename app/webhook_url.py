"""Where the product may send webhooks: https only; plain http only in DEMO mode or to a host the operator
lists in WEBHOOK_ALLOW_HTTP_HOSTS (comma-separated, e.g. an LGSP gateway on the office's own network).

A minimal check of our own until the shared outbound allow-list (`app/outbound.py`, `check_url(url,
purpose)`) lands; `check_url` has the same shape so the caller can switch with one import."""
from __future__ import annotations

import os
from urllib.parse import urlsplit

from app.settings import get_settings
from domain.errors import DomainError


class UrlRefused(DomainError):
    """An outbound URL the product will not call; `message` says why, in Vietnamese."""


def http_allowed_hosts() -> set[str]:
    return {h.strip().lower() for h in os.environ.get("WEBHOOK_ALLOW_HTTP_HOSTS", "").split(",") if h.strip()}


def check_url(url: str, purpose: str = "webhook") -> str:
    """The URL to store, or UrlRefused."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 — raises ValueError on a bad port
    except ValueError:
        raise UrlRefused("Địa chỉ nhận sự kiện không hợp lệ.") from None
    if len(url) > 500 or parts.scheme not in ("https", "http") or not host:
        raise UrlRefused("Địa chỉ nhận sự kiện phải là một địa chỉ https://… đầy đủ (tối đa 500 ký tự).")
    if parts.username or parts.password:
        raise UrlRefused("Địa chỉ nhận sự kiện không được chứa tên đăng nhập hay mật khẩu.")
    if parts.scheme == "http" and not get_settings().demo and host not in http_allowed_hosts():
        raise UrlRefused(f"Chỉ gửi sự kiện ({purpose}) qua https://. Địa chỉ http:// chỉ dùng được khi quản "
                         "trị máy chủ cho phép máy này trong WEBHOOK_ALLOW_HTTP_HOSTS.")
    return url
