"""Separation of duties for the rights that put the office's name on a copy (issue 34 point 3): the right
to sign (sign_copy) and to apply the office's seal (seal_copy) are never given by one administrator alone.
One administrator proposes; a second administrator of the office approves; nobody grants either right to
themselves, nor approves a grant to themselves. The server operator's CLI (`main.py grant-right`) is the
way for an office with a single administrator. Every step is audited and shown on the audit page."""
from __future__ import annotations

from sqlmodel import Session, select

from domain import audit
from domain.access import CurrentUser
from domain.admin_scope import AdminError, admin_office, scoped_account
from domain.audit import Actor
from domain.clock import utcnow
from domain.models import Account, Office, RightGrant, RightRequest
from domain.rights import RIGHT_LABELS, Right

SEPARATED_RIGHTS = (Right.SIGN_COPY, Right.SEAL_COPY)
NOT_YOURSELF = ("Bạn không thể tự cấp «{label}» cho chính mình: quyền này cần một quản trị viên khác của "
                "cơ quan đề nghị và phê duyệt (hoặc người vận hành máy chủ cấp).")


def propose(session: Session, office: Office, actor: Actor, account: Account, right: str) -> bool:
    """Record a proposal in the caller's transaction; False when one is already waiting."""
    if account.id == actor.account_id:
        raise AdminError(NOT_YOURSELF.format(label=RIGHT_LABELS[right]))
    waiting = session.exec(select(RightRequest.id).where(
        RightRequest.account_id == account.id, RightRequest.office_id == office.id,
        RightRequest.right == right, RightRequest.status == "pending")).first()
    if waiting is not None:
        return False
    session.add(RightRequest(account_id=account.id, office_id=office.id, right=right,
                             proposed_by_id=actor.account_id))
    audit.record(session, actor, "propose_right", target_type="account", target_id=account.id,
                 office_id=office.id, summary=f"Đề nghị cấp {RIGHT_LABELS[right]} cho {account.username} "
                                              f"(chờ quản trị viên khác phê duyệt)")
    return True


def pending_requests(session: Session, user: CurrentUser, account_id: int) -> list[dict]:
    """The proposals waiting for the official, with who proposed them and whether this user may approve."""
    office = admin_office(session, user)
    scoped_account(session, office, account_id)
    rows = session.exec(select(RightRequest, Account.full_name)
                        .join(Account, Account.id == RightRequest.proposed_by_id)
                        .where(RightRequest.office_id == office.id, RightRequest.account_id == account_id,
                               RightRequest.status == "pending").order_by(RightRequest.id)).all()
    return [{"id": r.id, "right": r.right, "label": RIGHT_LABELS.get(r.right, r.right), "by": name,
             "may_approve": user.account_id not in (r.proposed_by_id, r.account_id)} for r, name in rows]


def approve(session: Session, user: CurrentUser, request_id: int) -> str:
    """A second administrator approves: the right is granted; returns what was granted."""
    actor = audit.actor_of(user)
    office = admin_office(session, user)
    request = session.get(RightRequest, request_id)
    if request is None or request.office_id != office.id or request.status != "pending":
        raise AdminError("Đề nghị này không còn chờ phê duyệt.")
    label = RIGHT_LABELS[request.right]
    if actor.account_id == request.proposed_by_id:
        raise AdminError(f"Đề nghị cấp «{label}» phải do một quản trị viên khác phê duyệt, "
                         "không phải người đề nghị.")
    if actor.account_id == request.account_id:
        raise AdminError(NOT_YOURSELF.format(label=label))
    account = scoped_account(session, office, request.account_id)
    request.status, request.decided_by_id, request.decided_at = "approved", actor.account_id, utcnow()
    session.add(request)
    grant(session, office, actor, account, request.right, how="phê duyệt đề nghị")
    session.flush()
    return label


def withdraw(session: Session, user: CurrentUser, request_id: int) -> None:
    actor = audit.actor_of(user)
    office = admin_office(session, user)
    request = session.get(RightRequest, request_id)
    if request is None or request.office_id != office.id or request.status != "pending":
        raise AdminError("Đề nghị này không còn chờ phê duyệt.")
    request.status, request.decided_by_id, request.decided_at = "withdrawn", actor.account_id, utcnow()
    session.add(request)
    audit.record(session, actor, "withdraw_right_request", target_type="account",
                 target_id=request.account_id, office_id=office.id,
                 summary=f"Hủy đề nghị cấp {RIGHT_LABELS[request.right]}")
    session.flush()


def grant(session: Session, office: Office, actor: Actor, account: Account, right: str, how: str) -> None:
    """The grant itself (after approval, or by the operator's CLI), audited, in the caller's unit of work."""
    exists = session.exec(select(RightGrant.id).where(RightGrant.account_id == account.id,
                                                      RightGrant.office_id == office.id,
                                                      RightGrant.right == right)).first()
    if exists is None:
        session.add(RightGrant(account_id=account.id, office_id=office.id, right=right,
                               granted_by_id=actor.account_id))
    audit.record(session, actor, "grant_right", target_type="account", target_id=account.id,
                 office_id=office.id, summary=f"Cấp {RIGHT_LABELS[right]} cho {account.username} tại "
                                              f"{office.name} ({how})")

