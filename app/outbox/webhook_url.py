"""Where the product may send webhooks: the operator's outbound allow-list (app/outbound.py: https only, plain
http in demo mode only, a host the operator listed in OUTBOUND_HOSTS), checked when the administrator saves
the address and again at each delivery (app/outbox/webhooks.py)."""
from __future__ import annotations

from app.outbound import url_problem
from domain.errors import DomainError


class UrlRefused(DomainError):
    """An outbound URL the product will not call; `message` says why, in Vietnamese."""


def check_url(url: str, purpose: str = "webhook") -> str:
    """The URL to store, or UrlRefused."""
    url = (url or "").strip()
    if len(url) > 500:
        raise UrlRefused("Địa chỉ nhận sự kiện quá dài (tối đa 500 ký tự).")
    problem = url_problem(url)
    if problem is not None:
        raise UrlRefused(f"Địa chỉ nhận sự kiện ({purpose}): {problem}")
    return url
