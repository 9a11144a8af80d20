"""Password rules for accounts and temporary passwords sent by SMS (SPEC A12)."""

from __future__ import annotations

import gzip
import secrets
import string
from functools import lru_cache
from pathlib import Path

MIN_LENGTH = 8
GENERATED_LENGTH = 12

# No 0/O/o, 1/l/I/i: the citizen reads the password from an SMS and types it.
_AMBIGUOUS = set("0Oo1lIi")
_LOWER = "".join(c for c in string.ascii_lowercase if c not in _AMBIGUOUS)
_UPPER = "".join(c for c in string.ascii_uppercase if c not in _AMBIGUOUS)
_DIGITS = "".join(c for c in string.digits if c not in _AMBIGUOUS)
ALPHABET = _LOWER + _UPPER + _DIGITS

_DATA = Path(__file__).parent / "data"  # the lists and their licence: domain/data/README.md
COMMON = ("Mật khẩu này nằm trong danh sách mật khẩu phổ biến, dễ bị đoán. "
          "Vui lòng chọn mật khẩu khác (ví dụ một câu ngắn dễ nhớ).")


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def check_password_rules(password: str, *, username: str, id_number: str | None = None) -> list[str]:
    """Vietnamese messages for every broken rule; empty list when the password is acceptable."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự.")
    if username and username.strip() and _same(password, username):
        problems.append("Mật khẩu không được trùng với tên đăng nhập.")
    if id_number and id_number.strip() and _same(password, id_number):
        problems.append("Mật khẩu không được trùng với số định danh cá nhân (CCCD/CMND).")
    if len(password) >= MIN_LENGTH and is_common(password):  # a short one is refused already
        problems.append(COMMON)
    return problems


def is_common(password: str) -> bool:
    """True when the password, lower-cased, is one of the shipped common passwords."""
    return password.strip().lower() in _common_passwords()


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    with gzip.open(_DATA / "common-passwords.txt.gz", "rt", encoding="utf-8") as handle:
        words = {line.strip() for line in handle}
    extra = (_DATA / "common-passwords-vi.txt").read_text(encoding="utf-8").splitlines()
    words.update(line.strip().lower() for line in extra if not line.startswith("#"))
    words.discard("")
    return frozenset(words)


def generate_password(length: int = GENERATED_LENGTH) -> str:
    """A random temporary password with at least one lower-case letter, upper-case letter and digit."""
    if length < 3:
        raise ValueError("length must be at least 3")
    while True:
        candidate = "".join(secrets.choice(ALPHABET) for _ in range(length))
        if (
            any(c in _LOWER for c in candidate)
            and any(c in _UPPER for c in candidate)
            and any(c in _DIGITS for c in candidate)
        ):
            return candidate
