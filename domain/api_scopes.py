"""What an integration client may do through the API (phạm vi truy cập), named once."""
from __future__ import annotations

from domain.errors import DomainError

VERIFY = "verify"  # verify copies: by code, or by uploading the PDF
READ_DOSSIERS = "read_dossiers"  # read one office's dossiers, their history and results; receive events

SCOPE_LABELS: dict[str, str] = {
    VERIFY: "Xác thực bản sao (theo mã hoặc tệp PDF)",
    READ_DOSSIERS: "Đọc hồ sơ của cơ quan và nhận sự kiện (webhook)",
}


class ScopeError(DomainError):
    """Scopes that do not fit together; `message` is for the administrator."""


def checked_scopes(scopes: list[str] | set[str] | tuple[str, ...], office_id: int | None) -> list[str]:
    """The scopes in their canonical order; reading dossiers needs the office whose dossiers they are."""
    chosen = [scope for scope in SCOPE_LABELS if scope in set(scopes)]
    unknown = set(scopes) - set(SCOPE_LABELS)
    if unknown:
        raise ScopeError(f"Phạm vi truy cập không tồn tại: {', '.join(sorted(unknown))}.")
    if not chosen:
        raise ScopeError("Vui lòng chọn ít nhất một phạm vi truy cập.")
    if READ_DOSSIERS in chosen and office_id is None:
        raise ScopeError("Quyền đọc hồ sơ phải gắn với một cơ quan thực hiện chứng thực.")
    return chosen


def allows(granted: list[str] | None, scope: str) -> bool:
    return scope in (granted or [])
