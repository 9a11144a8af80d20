"""Revocation of an issued certified copy (thu hồi) by a leader of the issuing office.

The register entry never changes (its hash chain stays intact); a Revocation row is added beside it,
and the public verification then answers "revoked" with the date and the reason.
"""

from __future__ import annotations

from sqlmodel import Session, select

from domain import audit
from domain.access import AccessDenied, CurrentUser
from domain.dossiers import WorkflowError
from domain.models import RegisterEntry, Revocation
from domain.rights import Right

MAX_REASON = 500


def revocation_of(session: Session, entry_id: int) -> Revocation | None:
    return session.exec(select(Revocation).where(Revocation.entry_id == entry_id)).first()


def revoke(session: Session, user: CurrentUser, entry_id: int, reason: str, addr: str = "") -> Revocation:
    """Revoke one issued copy of the user's office (sign_copy), with a reason."""
    user.require(Right.SIGN_COPY)
    entry = session.get(RegisterEntry, entry_id)
    if entry is None or entry.office_id != user.office_id:
        raise AccessDenied("Không tìm thấy bản sao hoặc bản sao do cơ quan khác cấp.")
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("Vui lòng ghi lý do thu hồi bản sao.")
    if len(reason) > MAX_REASON:
        raise WorkflowError(f"Lý do thu hồi dài quá {MAX_REASON} ký tự.")
    if revocation_of(session, entry_id) is not None:
        raise WorkflowError(f"Bản sao số {entry.number_text} đã bị thu hồi trước đó.")
    revocation = Revocation(entry_id=entry.id, by_id=user.account_id, reason=reason)
    session.add(revocation)
    session.flush()
    audit.record(
        session,
        audit.actor_of(user, addr),
        "revoke_copy",
        target_type="register_entry",
        target_id=entry.id,
        office_id=entry.office_id,
        summary=f"Thu hồi bản sao số {entry.number_text} ({entry.book}): {reason}"[:400],
    )
    session.flush()
    return revocation
