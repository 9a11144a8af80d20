"""Rights per official per office (SPEC C8, A4, A5, A13): grant, revoke, and the office's gaps."""
from __future__ import annotations

from sqlmodel import Session, select

from domain import audit, right_requests
from domain.access import CurrentUser
from domain.admin_scope import AdminError, admin_office, scoped_account
from domain.audit import Actor
from domain.models import Account, Office, RightGrant, Unit
from domain.rights import ONE_STOP_ONLY_RIGHTS, RIGHT_LABELS, Right, is_known_right
from domain.text import ONE_STOP_MARKER, contains_one_stop_marker

# The two groups of the rights editor.
CERTIFICATION_GROUP_RIGHTS = (Right.CREATE_COPY, Right.SIGN_COPY, Right.SEAL_COPY, Right.COLLECT_FEE)
ADMIN_GROUP_RIGHTS = (Right.CREATE_CITIZEN_ACCOUNT, Right.ADMINISTER)
# Without a holder of each of these, an office can issue nothing.
ISSUING_RIGHTS = (Right.CREATE_COPY, Right.SIGN_COPY, Right.SEAL_COPY)

NO_ACCOUNT = ("Tài khoản không tồn tại. Chỉ cấp quyền cho công chức đã có tài khoản: "
              "hãy thêm tài khoản, tìm lại rồi cấp quyền.")


def right_refusal(session: Session, account: Account | None, right: str) -> str | None:
    """Why `right` can't be given to `account` (A4, A5; A13 first problem), or None when it can."""
    if not is_known_right(right):
        return "Quyền không hợp lệ."
    if account is None:
        return NO_ACCOUNT
    if account.kind != "official":
        return "Chỉ tài khoản công chức mới được cấp quyền; đây là tài khoản công dân."
    if account.status == "disabled":
        return f"Tài khoản «{account.username}» đã bị vô hiệu hóa: hãy kích hoạt lại trước khi cấp quyền."
    if right in ONE_STOP_ONLY_RIGHTS:
        unit = session.get(Unit, account.unit_id) if account.unit_id else None
        if unit is None:
            return (f"Tài khoản chưa được gán đơn vị. {RIGHT_LABELS[right]} chỉ cấp cho công chức thuộc "
                    f"Bộ phận Một cửa: hãy cập nhật đơn vị công tác của tài khoản trước.")
        if not contains_one_stop_marker(unit.name):
            return (
                f"Đơn vị «{unit.name}» không phải Bộ phận Một cửa: tên đơn vị phải chứa «{ONE_STOP_MARKER}». "
                f"Hãy gán tài khoản vào đúng Bộ phận Một cửa, hoặc sửa tên đơn vị."
            )
    return None


def grant_right(session: Session, user: CurrentUser, account_id: int, right: str) -> bool:
    """Give a right in the administrator's office; False when already held."""
    actor = audit.actor_of(user)
    office = admin_office(session, user)
    changed = _grant(session, office, actor, account_id, right)
    session.flush()
    return changed


def revoke_right(session: Session, user: CurrentUser, account_id: int, right: str) -> bool:
    """Take a right back in the administrator's office; False when it was not held."""
    actor = audit.actor_of(user)
    office = admin_office(session, user)
    changed = _revoke(session, office, actor, user, account_id, right)
    session.flush()
    return changed


def set_rights(session: Session, user: CurrentUser, account_id: int,
               wanted: set[str]) -> tuple[list[str], list[str]]:
    """Make the official's rights in the office exactly `wanted`: all or nothing; signing and sealing are
    proposed for a second administrator's approval instead (domain.right_requests).
    Returns (granted, revoked)."""
    actor = audit.actor_of(user)
    office = admin_office(session, user)
    held = rights_in_office(session, office.id, [account_id]).get(account_id, set())
    granted = [r for r in RIGHT_LABELS if r in wanted - held]
    revoked = [r for r in RIGHT_LABELS if r in held - wanted]
    unknown = wanted - set(RIGHT_LABELS)
    if unknown:
        raise AdminError("Quyền không hợp lệ.")
    account = session.get(Account, account_id) if account_id is not None else None
    for right in granted:  # refuse before changing anything
        if (reason := right_refusal(session, account, right)) is not None:
            raise AdminError(reason)
    for right in revoked:
        _revoke(session, office, actor, user, account_id, right)
    granted = [right for right in granted if _grant(session, office, actor, account_id, right)]
    session.flush()
    return granted, revoked


def rights_in_office(session: Session, office_id: int, account_ids: list[int]) -> dict[int, set[str]]:
    result: dict[int, set[str]] = {}
    if account_ids:
        for grant in session.exec(select(RightGrant).where(RightGrant.office_id == office_id,
                                                           RightGrant.account_id.in_(account_ids))):
            result.setdefault(grant.account_id, set()).add(grant.right)
    return result


def office_right_gaps(session: Session, office_id: int) -> list[str]:
    """The issuing rights (create, sign, seal) no active account holds in the office: while any is
    missing, the office can issue nothing."""
    held = set(session.exec(select(RightGrant.right).join(Account, Account.id == RightGrant.account_id)
                            .where(RightGrant.office_id == office_id, Account.status == "active")))
    return [r for r in ISSUING_RIGHTS if r not in held]


def revoke_if_not_one_stop(session: Session, office: Office, account: Account, actor: Actor) -> list[str]:
    """After a unit change: withdraw one-stop-only rights the account may no longer hold (no commit)."""
    notes = []
    for grant in session.exec(select(RightGrant).where(RightGrant.account_id == account.id,
                                                       RightGrant.office_id == office.id,
                                                       RightGrant.right.in_(ONE_STOP_ONLY_RIGHTS))).all():
        reason = right_refusal(session, account, grant.right)
        if reason is None:
            continue
        session.delete(grant)
        audit.record(session, actor, "revoke_right", target_type="account", target_id=account.id,
                     office_id=office.id,
                     summary=f"Thu hồi {RIGHT_LABELS[grant.right]} của {account.username}: {reason}")
        notes.append(f"Đã thu hồi {RIGHT_LABELS[grant.right]}: {reason}")
    return notes


def _grant(session: Session, office: Office, actor: Actor, account_id: int, right: str) -> bool:
    """Grant, or for signing and sealing only propose (a second administrator approves)."""
    account = session.get(Account, account_id) if account_id is not None else None
    reason = right_refusal(session, account, right)
    if reason is not None:
        raise AdminError(reason)
    scoped_account(session, office, account_id)
    if right in right_requests.SEPARATED_RIGHTS:
        held = session.exec(select(RightGrant.id).where(RightGrant.account_id == account_id,
                                                        RightGrant.office_id == office.id,
                                                        RightGrant.right == right)).first()
        if held is None:
            right_requests.propose(session, office, actor, account, right)
        return False
    if session.exec(select(RightGrant.id).where(RightGrant.account_id == account_id, RightGrant.office_id
                                                == office.id, RightGrant.right == right)).first():
        return False
    session.add(
        RightGrant(account_id=account_id, office_id=office.id, right=right, granted_by_id=actor.account_id)
    )
    audit.record(
        session,
        actor,
        "grant_right",
        target_type="account",
        target_id=account_id,
        office_id=office.id,
        summary=f"Cấp {RIGHT_LABELS[right]} cho {account.username} tại {office.name}",
    )
    return True


def _revoke(
    session: Session, office: Office, actor: Actor, user: CurrentUser, account_id: int, right: str
) -> bool:
    account = scoped_account(session, office, account_id)
    if right == Right.ADMINISTER and account_id == user.account_id:
        raise AdminError("Bạn không thể tự thu hồi quyền quản trị của chính mình.")
    grant = session.exec(select(RightGrant).where(RightGrant.account_id == account_id, RightGrant.office_id
                                                  == office.id, RightGrant.right == right)).first()
    if grant is None:
        return False
    session.delete(grant)
    audit.record(
        session,
        actor,
        "revoke_right",
        target_type="account",
        target_id=account_id,
        office_id=office.id,
        summary=f"Thu hồi {RIGHT_LABELS[right]} của {account.username} tại {office.name}",
    )
    return True


def right_holders(session: Session, office_id: int) -> dict[str, list[str]]:
    """Who holds each right in the office (active accounts), by full name."""
    holders: dict[str, list[str]] = {right: [] for right in RIGHT_LABELS}
    rows = session.exec(
        select(RightGrant.right, Account.full_name)
        .join(Account, Account.id == RightGrant.account_id)
        .where(RightGrant.office_id == office_id, Account.status == "active")
        .order_by(Account.name_folded)
    )
    for right, name in rows:
        holders.setdefault(right, []).append(name)
    return holders


def operator_grant(session: Session, username: str, right: str) -> str | None:
    """The server operator grants signing or sealing directly (`main.py grant-right`, for an office with a
    single administrator), audited as the operator. Returns why not (Vietnamese) or None."""
    account = session.exec(select(Account).where(Account.username == username)).first()
    office = session.get(Office, account.office_id) if account and account.office_id else None
    reason = right_refusal(session, account, right) if office else "Tài khoản không tồn tại."
    if reason:
        return reason
    operator = Actor(None, "Người vận hành máy chủ (CLI)")
    right_requests.grant(session, office, operator, account, right, how="người vận hành máy chủ cấp")
    session.flush()
    return None
