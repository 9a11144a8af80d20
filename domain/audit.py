"""The audit trail: one append-only table, each event chained to the one before by SHA-256."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session, select

from domain.clock import utcnow
from domain.models import AuditEvent


@dataclass(frozen=True)
class Actor:
    """Who acts, and from where; passed to every use case that changes state."""
    account_id: int | None
    name: str
    client_addr: str = ""


SYSTEM = Actor(None, "Hệ thống")


def actor_of(user, addr: str = "") -> Actor:
    """The signed-in user (a domain.access.CurrentUser) as the audit's actor, at `addr` or else at the
    address the runner gave the user: the one way to build an Actor for a user."""
    return Actor(user.account_id, user.full_name, addr or user.client_addr)


def visitor(addr: str) -> Actor:
    """Nobody signed in, at `addr`: who runs a use case of a page open to everyone (app.web.actions
    run_public); the use case names the account it finds, if any, in its own audit event."""
    return Actor(None, "Khách", addr)


def event_hash(event: AuditEvent) -> str:
    body = json.dumps(
        [event.prev_hash, event.at.isoformat(), event.actor_id, event.actor_name, event.action,
         event.target_type, event.target_id, event.office_id, event.client_addr, event.summary],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


def record(session: Session, actor: Actor, action: str, *, target_type: str = "", target_id: object = "",
           office_id: int | None = None, summary: str = "") -> AuditEvent:
    """Append an event in the caller's transaction (in the caller's unit of work)."""
    _lock_chain(session)
    last = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).first()
    event = AuditEvent(
        at=utcnow(), actor_id=actor.account_id, actor_name=actor.name, action=action,
        target_type=target_type, target_id=str(target_id), office_id=office_id,
        client_addr=actor.client_addr, summary=summary, prev_hash=last.hash if last else "",
    )
    event.hash = event_hash(event)
    session.add(event)
    session.flush()
    return event


def verify_chain(session: Session) -> AuditEvent | None:
    """Return the first event that does not fit the chain, or None when the chain is whole."""
    prev = ""
    for event in session.exec(select(AuditEvent).order_by(AuditEvent.id)):
        if event.prev_hash != prev or event_hash(event) != event.hash:
            return event
        prev = event.hash
    return None


def _lock_chain(session: Session) -> None:
    """Serialise writers of the chain: PostgreSQL takes a transaction-scoped advisory lock;
    SQLite already allows one writer at a time (transactions begin IMMEDIATE, see app.db)."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.exec(text("SELECT pg_advisory_xact_lock(4242001)"))
