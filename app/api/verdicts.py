"""A VerificationResult (the verification the public page runs) as the API's Verdict."""
from __future__ import annotations

from app.api.schemas import Signer, Verdict
from app.verification.verdict_labels import ROLE_LABELS
from domain.signing.names import shorten_name
from domain.signing.verification import Status, VerificationResult

STATUS_LABELS = {  # the public page's banners (pages/verify.py STATUS_VIEW), in words
    Status.VALID: "Hợp lệ",
    Status.REVOKED: "Đã bị thu hồi",
    Status.NOT_FOUND: "Không tìm thấy trong sổ chứng thực",
    Status.ALTERED: "Đã bị thay đổi",
    Status.UNTRUSTED: "Chữ ký không được tin cậy",
}


def verdict(result: VerificationResult) -> Verdict:
    reg = result.register
    return Verdict(
        status=result.status.value,
        status_label=STATUS_LABELS[result.status],
        valid=result.valid,
        certification_number=reg.certification_number if reg else None,
        book=reg.book if reg else None,
        issued_at=reg.issued_at if reg else None,
        office=reg.office if reg else None,
        title=reg.title if reg else None,
        page_count=reg.page_count if reg else None,
        requester=shorten_name(reg.requester_name) if reg else None,
        revoked_at=reg.revoked_at if reg else None,
        revoke_reason=reg.revoke_reason if reg and reg.revoked_at else None,
        signers=[Signer(name=s.signer, role=s.role.value, role_label=ROLE_LABELS[s.role], valid=s.ok,
                        signed_at=s.signed_at, timestamped=s.timestamped) for s in result.signatures],
        level=result.level,
        notes=list(result.notes),
        problems=list(result.problems),
        sha256=result.sha256,
    )
