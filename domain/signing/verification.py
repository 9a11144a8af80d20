"""Verification results and the rule that turns signature checks + register entry into a status."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from .names import shorten_name


class Status(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    NOT_FOUND = "not_found"
    ALTERED = "altered"
    UNTRUSTED = "untrusted"


class Role(StrEnum):
    LEADER = "leader"
    OFFICE = "office"


@dataclass(frozen=True)
class RegisterInfo:
    """What the register holds about an issued certified copy (looked up by the file's SHA-256)."""

    certification_number: str
    book: str
    office: str
    issued_at: datetime
    title: str
    page_count: int
    requester_name: str
    revoked_at: datetime | None = None
    revoke_reason: str | None = None


@dataclass(frozen=True)
class SignatureCheck:
    signer: str
    role: Role
    field_name: str
    intact: bool
    trusted: bool
    modifications_ok: bool
    covers_whole_file: bool
    signed_at: datetime | None = None
    timestamped: bool = False

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and self.modifications_ok


@dataclass
class VerificationResult:
    status: Status
    sha256: str
    signatures: list[SignatureCheck] = field(default_factory=list)
    register: RegisterInfo | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.status is Status.VALID

    def to_dict(self) -> dict:
        reg = self.register
        return {
            "status": self.status.value,
            "valid": self.valid,
            "certification_number": reg.certification_number if reg else None,
            "book": reg.book if reg else None,
            "office": reg.office if reg else None,
            "issued_at": reg.issued_at.isoformat() if reg else None,
            "title": reg.title if reg else None,
            "page_count": reg.page_count if reg else None,
            "requester": shorten_name(reg.requester_name) if reg else None,
            "revoked_at": reg.revoked_at.isoformat() if reg and reg.revoked_at else None,
            "revoke_reason": reg.revoke_reason if reg else None,
            "sha256": self.sha256,
            "signatures": [
                {
                    "signer": s.signer,
                    "role": s.role.value,
                    "intact": s.intact,
                    "trusted": s.trusted,
                    "modifications_ok": s.modifications_ok,
                    "signed_at": s.signed_at.isoformat() if s.signed_at else None,
                }
                for s in self.signatures
            ],
            "problems": list(self.problems),
        }


def decide(
    sha256: str,
    signatures: list[SignatureCheck],
    *,
    register: RegisterInfo | None,
    register_consulted: bool,
    matched_whole_file: bool = True,
) -> VerificationResult:
    """Status precedence: altered > untrusted > revoked > not_found > valid.

    ``register`` may come from a hash of the signed part of an altered file
    (``matched_whole_file=False``): it names the copy that was altered, and is never "valid".
    """
    problems = _signature_problems(signatures)
    roles = {s.role for s in signatures}
    if not signatures or any(not (s.intact and s.modifications_ok) for s in signatures) or not (
        signatures[-1].covers_whole_file
    ) or not matched_whole_file:
        status = Status.ALTERED
        if not matched_whole_file:
            problems.append("Tệp đã bị thay đổi sau khi được cấp.")
    elif any(not s.trusted for s in signatures):
        status = Status.UNTRUSTED
    elif register is not None and register.revoked_at is not None:
        status = Status.REVOKED
        reason = f": {register.revoke_reason}" if register.revoke_reason else ""
        problems.append(f"Bản sao đã bị thu hồi{reason}.")
    elif register_consulted and register is None:
        status = Status.NOT_FOUND
        problems.append("Không tìm thấy bản sao này trong sổ chứng thực.")
    elif roles != {Role.LEADER, Role.OFFICE}:
        status = Status.NOT_FOUND
        problems.append("Tệp chưa có đủ chữ ký số của người thực hiện chứng thực và của cơ quan.")
    else:
        status = Status.VALID
    if not register_consulted:
        problems.append("Chưa đối chiếu sổ chứng thực: kết quả chỉ dựa trên chữ ký số.")
    return VerificationResult(status, sha256, signatures, register, problems)


def _signature_problems(signatures: list[SignatureCheck]) -> list[str]:
    if not signatures:
        return ["Tệp không có chữ ký số."]
    problems = []
    for s in signatures:
        who = f"Chữ ký của {s.signer}"
        if not s.intact:
            problems.append(f"{who}: nội dung đã bị thay đổi sau khi ký.")
        elif not s.modifications_ok:
            problems.append(f"{who}: tệp có thay đổi không được phép sau khi ký.")
        if s.intact and not s.trusted:
            problems.append(f"{who}: chứng thư số không được tin cậy.")
    if not signatures[-1].covers_whole_file:
        problems.append("Có nội dung được thêm vào sau chữ ký số cuối cùng.")
    return problems
