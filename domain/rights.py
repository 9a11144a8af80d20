"""Rights (Quyền) an account may hold (GLOSSARY, SPEC C8 and A1–A4).

Plain string constants so they store as-is in the database and compare with plain strings.
"""

from __future__ import annotations


class Right:
    CREATE_COPY = "create_copy"
    SIGN_COPY = "sign_copy"
    SEAL_COPY = "seal_copy"
    COLLECT_FEE = "collect_fee"
    CREATE_CITIZEN_ACCOUNT = "create_citizen_account"
    ADMINISTER = "administer"


ALL_RIGHTS: tuple[str, ...] = (
    Right.CREATE_COPY,
    Right.SIGN_COPY,
    Right.SEAL_COPY,
    Right.COLLECT_FEE,
    Right.CREATE_CITIZEN_ACCOUNT,
    Right.ADMINISTER,
)

RIGHT_LABELS: dict[str, str] = {
    Right.CREATE_COPY: "Quyền tạo bản sao",
    Right.SIGN_COPY: "Quyền ký bản sao",
    Right.SEAL_COPY: "Quyền đóng dấu bản sao",
    Right.COLLECT_FEE: "Quyền thu phí",
    Right.CREATE_CITIZEN_ACCOUNT: "Quyền tạo tài khoản cho công dân",
    Right.ADMINISTER: "Quyền quản trị hệ thống",
}

# A4: only officials of a one-stop section (Bộ phận Một cửa) may receive this right.
ONE_STOP_ONLY_RIGHTS: frozenset[str] = frozenset({Right.CREATE_CITIZEN_ACCOUNT})


def is_known_right(name: str) -> bool:
    return name in RIGHT_LABELS
