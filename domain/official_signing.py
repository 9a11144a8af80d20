"""A leader's own signing key (PKCS#12 file, PKCS#11 token or a remote CSC credential), set by the
administrator on the official's page. Secrets stay in files on the server; only their paths are kept."""
from __future__ import annotations

from sqlmodel import Session

from domain import audit
from domain.access import CurrentUser
from domain.admin_office_settings import SIGNING_KINDS, _signing
from domain.admin_scope import AdminError, admin_office, scoped_account
from domain.audit import Actor

WHO = "Chữ ký số của người ký"


def official_signing(session: Session, user: CurrentUser, account_id: int) -> dict:
    office = admin_office(session, user)
    return dict(scoped_account(session, office, account_id).signing_config or {})


def set_official_signing(
    session: Session, user: CurrentUser, actor: Actor, account_id: int, cfg: dict
) -> None:
    """'demo' clears the account's own key (demo mode then issues a demo one). Commits."""
    office = admin_office(session, user)
    account = scoped_account(session, office, account_id)
    problems: list[str] = []
    kind = cfg.get("kind") or "demo"
    clean = {} if kind == "demo" else _signing(cfg, account.signing_config or {}, problems, who=WHO)
    if problems:
        raise AdminError(" ".join(problems))
    if clean == (account.signing_config or {}):
        return
    account.signing_config = clean
    session.add(account)
    audit.record(session, actor, "update_official_signing", target_type="account", target_id=account.id,
                 office_id=office.id,
                 summary=f"Sửa chữ ký số của {account.username}: {SIGNING_KINDS.get(kind, kind)}")
    session.commit()
