"""Safe post-login redirects: only paths on this site (`/login?redirect_to=…`)."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit


def safe_redirect(target: str | None, default: str = "/") -> str:
    """`target` if it is a same-site absolute path like '/x?y', else `default`.

    Refuses '//host' and '/\\host' (browsers treat both as another host), schemes such as
    'https:' or 'javascript:', backslashes anywhere, and control, format or space characters
    (browsers drop tabs/newlines, which would turn '/\\t/evil' into '//evil').
    """
    if not isinstance(target, str) or not target.startswith("/"):
        return default
    if target.startswith("//") or "\\" in target:
        return default
    if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
