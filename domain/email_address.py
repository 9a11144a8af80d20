"""One rule for an e-mail address typed by anyone: exactly one plain address, nothing a mail header
could be made of (no CR/LF or other control characters, no comma, angle brackets or quotes)."""
from __future__ import annotations

import re

MAX_LENGTH = 254
_ADDRESS = re.compile(r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}")
INVALID = "Địa chỉ thư điện tử không hợp lệ (một địa chỉ, ví dụ: ten@example.com)."


def is_valid_email(address: str | None) -> bool:
    """True for one plain address such as 'ten@example.com'. Trailing spaces are the caller's to strip;
    a line break anywhere (header injection: 'x@a.vn\\r\\nBcc: …') makes it invalid."""
    if not address or len(address) > MAX_LENGTH:
        return False
    if any(ord(c) < 32 or ord(c) == 127 for c in address):
        return False
    return _ADDRESS.fullmatch(address) is not None


def clean_email(text: str | None) -> str | None:
    """The address with surrounding spaces removed (None when empty); ValueError(INVALID) when it is
    not one plain address. Only spaces and tabs are stripped: a CR or LF is never silently dropped."""
    address = (text or "").strip(" \t")
    if not address:
        return None
    if not is_valid_email(address):
        raise ValueError(INVALID)
    return address
