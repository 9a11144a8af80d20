"""What the server operator allows: the hosts the server may call out to, and the PKCS#11 tokens each
office may sign with. Both come from the operator's environment, never from a page.

- OUTBOUND_HOSTS: comma-separated `host` or `host:port` an administrator may name (a CA's remote-signing
  service, a webhook subscriber). The operator's own TSA_URL, RENEW_TSA_URL and SMS_URL hosts are allowed
  too, and in demo mode the demo services on 127.0.0.1. Only https://, plain http in demo mode only. A
  loopback or private address is refused unless the operator listed it.
- PKCS11_TOKENS: a JSON file (default DATA_DIR/pkcs11_tokens.json) listing tokens per office:
  [{"name": "ubnd-xa-a-seal", "office": "<unit code>", "module": "/usr/lib/…/libX.so",
    "token_label": "…", "key_label": "…", "pin_file": "/etc/chungthuc/xa-a.pin"}]
"""
from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

from app.settings import get_settings
from domain.errors import DomainError
from domain.signing_keys import use_operator_policy


class OutboundRefused(DomainError):
    """A call to an address the operator has not allowed."""


def allowed_hosts() -> set[str]:
    settings = get_settings()
    hosts = {h.strip().lower() for h in os.environ.get("OUTBOUND_HOSTS", "").split(",") if h.strip()}
    operator_urls = [settings.tsa_url, os.environ.get("RENEW_TSA_URL", ""), settings.sms_url]
    if settings.demo:
        operator_urls += [settings.pki_url or f"http://127.0.0.1:{os.environ.get('PKI_PORT', '8079')}",
                          os.environ.get("CSC_DEMO_URL", "")
                          or f"http://127.0.0.1:{os.environ.get('CSC_DEMO_PORT', '8077')}"]
    for url in operator_urls:
        if url:
            hosts.update(_names(urlsplit(url)))
    return hosts


def url_problem(url: str) -> str | None:
    """Why the server may not call `url`, in Vietnamese; None when it may."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 — a bad port raises here
    except ValueError:
        return "địa chỉ không hợp lệ."
    demo = get_settings().demo
    if parts.scheme != "https" and not (demo and parts.scheme == "http"):
        return "địa chỉ dịch vụ phải bắt đầu bằng https://."
    if not host or parts.username or parts.password:
        return "địa chỉ không hợp lệ (cần dạng https://tên-máy-chủ/…, không kèm tên đăng nhập)."
    if not _names(parts) & allowed_hosts():
        what = "địa chỉ nội bộ" if _internal(host) else f"máy chủ «{host}»"
        return (f"{what} không nằm trong danh sách máy chủ được phép gọi ra ngoài. Người vận hành máy chủ "
                "thêm máy chủ của nhà cung cấp vào OUTBOUND_HOSTS.")
    return None


def check_url(url: str, what: str) -> None:
    """At the moment of the call: refuse an address the operator does not allow (a config edited in the
    database, an allow-list that changed since it was saved)."""
    problem = url_problem(url)
    if problem is not None:
        raise OutboundRefused(f"{what}: {problem}")


def _names(parts) -> set[str]:
    host = (parts.hostname or "").lower()
    if not host:
        return set()
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return {f"{host}:{port}"} | ({host} if port in (80, 443) else set())


def _internal(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost" or host.endswith(".localhost") or host.endswith(".local")
    return address.is_loopback or address.is_private or address.is_link_local or address.is_unspecified


# --- PKCS#11 tokens the operator listed -----------------------------------------------------------
def _token_file() -> Path:
    configured = os.environ.get("PKCS11_TOKENS", "").strip()
    return Path(configured) if configured else get_settings().data_dir / "pkcs11_tokens.json"


def listed_tokens() -> list[dict]:
    path = _token_file()
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [t for t in (data.get("tokens", []) if isinstance(data, dict) else data) if isinstance(t, dict)]


def token(name: str, office_code: str) -> dict | None:
    """The operator's entry for `name`, only if it is listed for that office."""
    for entry in listed_tokens():
        if entry.get("name") == name and str(entry.get("office", "")) == office_code:
            return entry
    return None


class _OperatorPolicy:
    def tokens_for(self, office_code: str) -> dict[str, str]:
        return {t["name"]: f"{t['name']} ({t.get('token_label', '')})" for t in listed_tokens()
                if t.get("name") and str(t.get("office", "")) == office_code}

    def url_problem(self, url: str) -> str | None:
        return url_problem(url)


use_operator_policy(_OperatorPolicy())
