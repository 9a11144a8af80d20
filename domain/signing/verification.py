"""Verification results and the rule that turns signature checks + register entry into a status.

Signatures are judged at the time a trusted time-stamp proves they existed (the adapter does the
PAdES/AdES past validation); roles come from the register (which certificate signed as leader and
which as office), not from the field's position; the register matches the revision the office signed.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
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
    FOREIGN = "foreign"  # a signature by anyone the register does not name for this copy


class Match(StrEnum):
    FILE = "file"  # the whole file is one the office issued (or renewed)
    SEALED = "sealed"  # the office's revision matches; only long-term data was added after it
    NONE = "none"


@dataclass(frozen=True)
class RegisterInfo:
    """What the register holds about an issued certified copy (looked up by a file's SHA-256)."""

    certification_number: str
    book: str
    office: str
    issued_at: datetime
    title: str
    page_count: int
    requester_name: str
    revoked_at: datetime | None = None
    revoke_reason: str | None = None
    leader_cert_sha256: str = ""
    office_cert_sha256: str = ""
    matched_sealed: bool = False  # found by the hash of the sealed revision, not of a whole file
    entry_id: int | None = None


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
    cert_sha256: str = ""
    revision: int = 0  # 1-based revision of the file this signature made
    timestamp_trusted: bool | None = None  # None: no signature time-stamp
    revoked: bool = False
    revoked_at: datetime | None = None  # when the certificate was revoked, if the data says
    expired_without_proof: bool = False  # no trusted time-stamp proves it was signed while valid
    only_lta_after: bool = False  # later revisions add only DSS data and document time-stamps
    cert_expired_at: datetime | None = None  # valid, though its certificate has ended since signing

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and self.modifications_ok and self.role is not Role.FOREIGN


@dataclass
class VerificationResult:
    status: Status
    sha256: str
    signatures: list[SignatureCheck] = field(default_factory=list)
    register: RegisterInfo | None = None
    problems: list[str] = field(default_factory=list)
    level: str = ""  # PAdES baseline level: B-B, B-T, B-LT, B-LTA
    notes: list[str] = field(default_factory=list)  # facts that do not make the copy invalid
    match: Match = Match.FILE
    altered_at_revision: int | None = None
    outside_timestamps: list[tuple[str, int]] = field(default_factory=list)  # (TSA, revision) not trusted

    @property
    def valid(self) -> bool:
        return self.status is Status.VALID

    def to_dict(self) -> dict:
        reg = self.register
        return {
            "status": self.status.value,
            "valid": self.valid,
            "level": self.level,
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
                    "timestamped": s.timestamped,
                    "revision": s.revision,
                    "revoked_at": s.revoked_at.isoformat() if s.revoked_at else None,
                    "cert_expired_at": s.cert_expired_at.isoformat() if s.cert_expired_at else None,
                }
                for s in self.signatures
            ],
            "problems": list(self.problems),
            "notes": list(self.notes),
        }


ASK_FOR_FILE = (
    "Đề nghị người nộp gửi đúng tệp PDF họ đã nhận từ cơ quan chứng thực (qua tài khoản hoặc thư điện tử)."
)


def assign_roles(signatures: list[SignatureCheck], register: RegisterInfo | None,
                 by_field: dict[str, Role]) -> list[SignatureCheck]:
    """Roles from the register's certificate fingerprints when it has them; else from field names."""
    if register is not None and register.office_cert_sha256:
        known = {register.leader_cert_sha256: Role.LEADER, register.office_cert_sha256: Role.OFFICE}
        return [replace(s, role=known.get(s.cert_sha256, Role.FOREIGN)) for s in signatures]
    return [replace(s, role=by_field.get(s.field_name, Role.FOREIGN)) for s in signatures]


def decide(
    sha256: str,
    signatures: list[SignatureCheck],
    *,
    register: RegisterInfo | None,
    register_consulted: bool,
    match: Match = Match.FILE,
    altered_at_revision: int | None = None,
    level: str = "",
    readable: bool = True,
    outside_timestamps: list[tuple[str, int]] | None = None,
) -> VerificationResult:
    """Status precedence: altered > untrusted > revoked > not_found > valid.

    ``match`` says how the register entry was found: the whole file, or the revision the office
    sealed (then later revisions were only long-term data); with ``altered_at_revision`` the entry
    names the copy a changed file was made from, and is never "valid".
    """
    notes: list[str] = []
    if not readable:
        problems = ["Tệp không đọc được hoặc không đầy đủ (có thể bị cắt cụt khi tải xuống hay gửi đi). "
                    + ASK_FOR_FILE]
        return VerificationResult(Status.ALTERED, sha256, [], register, problems, level, [], match)
    problems = _signature_problems(signatures)
    if altered_at_revision is not None:
        problems.append(f"Tệp đã bị thay đổi sau chữ ký số của cơ quan (phần thêm vào từ phiên bản thứ "
                        f"{altered_at_revision} của tệp). " + ASK_FOR_FILE)
    status = _status(signatures, register, register_consulted, altered_at_revision, problems)
    outside = list(outside_timestamps or [])
    if status is not Status.ALTERED:
        if match is Match.SEALED:
            notes.append("Tệp đã bổ sung dữ liệu xác thực dài hạn (dấu thời gian, dữ liệu thu hồi chứng thư) "
                         "sau khi cấp; nội dung bản sao không thay đổi.")
        notes.extend(_expiry_notes(signatures))
        notes.extend(
            f"Dấu thời gian do bên khác thêm vào tệp (phiên bản thứ {revision}, đơn vị cấp: {tsa}) không do "
            "đơn vị cấp dấu thời gian được tin cậy cấp; không dùng làm bằng chứng, không ảnh hưởng chữ ký "
            "của cơ quan."
            for tsa, revision in outside
        )
    if not register_consulted:
        problems.append("Chưa đối chiếu sổ chứng thực: kết quả chỉ dựa trên chữ ký số.")
    return VerificationResult(status, sha256, signatures, register, problems, level, notes, match,
                              altered_at_revision, outside)


def with_register(result: VerificationResult, register: RegisterInfo | None) -> VerificationResult:
    """The same signature checks decided again with a fresh register entry (e.g. revoked since)."""
    return decide(result.sha256, result.signatures, register=register, register_consulted=True,
                  match=result.match, altered_at_revision=result.altered_at_revision, level=result.level,
                  outside_timestamps=result.outside_timestamps)


def _expiry_notes(signatures: list[SignatureCheck]) -> list[str]:
    return [
        f"Chứng thư số của {s.signer} đã hết hạn ngày {_day(s.cert_expired_at)}; chữ ký vẫn hợp lệ vì dấu "
        f"thời gian chứng minh chữ ký được tạo ngày {_day(s.signed_at)}, khi chứng thư số còn hiệu lực."
        for s in signatures
        if s.ok and s.cert_expired_at is not None and s.signed_at is not None
    ]


def _day(moment: datetime | None) -> str:
    return moment.strftime("%d/%m/%Y") if moment else "?"


def _signature_problems(signatures: list[SignatureCheck]) -> list[str]:
    if not signatures:
        return ["Tệp không có chữ ký số."]
    problems = []
    for s in signatures:
        who = f"Chữ ký của {s.signer}"
        if s.role is Role.FOREIGN:
            problems.append(f"{who} không phải chữ ký của người thực hiện chứng thực hay của cơ quan "
                            "đã cấp bản sao này (chữ ký lạ).")
        if not s.intact:
            problems.append(f"{who}: nội dung đã bị thay đổi sau khi ký.")
            continue  # what else a check says of changed bytes is not a fact about this copy
        if not s.modifications_ok:
            problems.append(f"{who}: tệp có thay đổi không được phép sau khi ký.")
            continue
        if s.revoked:
            on = f" ngày {_day(s.revoked_at)}" if s.revoked_at else ""
            problems.append(f"{who}: chứng thư số đã bị thu hồi{on}, trước thời điểm ký.")
        elif s.expired_without_proof:
            problems.append(
                f"{who}: không có dấu thời gian tin cậy còn hiệu lực chứng minh chữ ký được tạo khi "
                "chứng thư số còn hiệu lực (dấu thời gian lưu trữ của tệp chưa được gia hạn)."
            )
        elif not s.trusted:
            problems.append(f"{who}: chứng thư số không được tin cậy.")
        if s.timestamp_trusted is False:
            problems.append(f"{who}: dấu thời gian không do đơn vị cấp dấu thời gian được tin cậy cấp; "
                            "thời điểm ký chỉ là thời điểm người ký tự khai.")
    return problems


def _status(signatures: list[SignatureCheck], register: RegisterInfo | None, register_consulted: bool,
            altered_at_revision: int | None, problems: list[str]) -> Status:
    """The verdict by precedence (altered > untrusted > revoked > not_found > valid); adds its reason."""
    roles = [s.role for s in signatures]
    office_signed = Role.OFFICE in roles
    if (
        not signatures
        or any(not (s.intact and s.modifications_ok) for s in signatures)
        or Role.FOREIGN in roles
        or altered_at_revision is not None
        or not signatures[-1].only_lta_after
    ):
        return Status.ALTERED
    if any(not s.trusted for s in signatures):
        return Status.UNTRUSTED
    if register is not None and register.revoked_at is not None:
        reason = f": {register.revoke_reason}" if register.revoke_reason else ""
        problems.append(f"Bản sao đã bị thu hồi{reason}.")
        return Status.REVOKED
    if register_consulted and register is None:
        if signatures and not office_signed:
            problems.append(
                "Tệp thiếu chữ ký số của cơ quan thực hiện chứng thực: đây chưa phải bản sao đã cấp. "
                + ASK_FOR_FILE
            )
        else:
            problems.append("Không tìm thấy bản sao này trong sổ chứng thực. " + ASK_FOR_FILE)
        return Status.NOT_FOUND
    if not office_signed:
        problems.append("Tệp thiếu chữ ký số của cơ quan thực hiện chứng thực. " + ASK_FOR_FILE)
        return Status.NOT_FOUND
    if Role.LEADER not in roles:
        problems.append("Tệp thiếu chữ ký số của người thực hiện chứng thực. " + ASK_FOR_FILE)
        return Status.NOT_FOUND
    return Status.VALID
