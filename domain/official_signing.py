"""A leader's own signing key (PKCS#12 key uploaded and kept sealed, a PKCS#11 token the operator listed
for the office, or a remote CSC credential), set by the administrator on the official's page."""
from __future__ import annotations

from sqlmodel import Session

from domain import audit
from domain.access import CurrentUser
from domain.admin_scope import AdminError, admin_office, scoped_account
from domain.signing_keys import SIGNING_KINDS, clean_signing

WHO = "Chữ ký số của người ký"


def official_signing(session: Session, user: CurrentUser, account_id: int) -> dict:
    office = admin_office(session, user)
    return dict(scoped_account(session, office, account_id).signing_config or {})


def set_official_signing(
    session: Session, user: CurrentUser, account_id: int, cfg: dict
) -> None:
    """'demo' clears the account's own key (demo mode then issues a demo one)."""
    actor = audit.actor_of(user)
    office = admin_office(session, user)
    account = scoped_account(session, office, account_id)
    problems: list[str] = []
    kind = cfg.get("kind") or "demo"
    clean = {} if kind == "demo" else clean_signing(session, office, cfg, account.signing_config or {},
                                                    problems, who=WHO, account_id=account.id,
                                                    actor_id=actor.account_id)
    if problems:
        raise AdminError(" ".join(problems))
    if clean == (account.signing_config or {}):
        return
    account.signing_config = clean
    session.add(account)
    audit.record(session, actor, "update_official_signing", target_type="account", target_id=account.id,
                 office_id=office.id,
                 summary=f"Sửa chữ ký số của {account.username}: {SIGNING_KINDS.get(kind, kind)}")
    session.flush()
