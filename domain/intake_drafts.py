"""The intake form's draft, kept per account on the server: what a clerk typed survives the idle limit
and a new sign-in (issue 33). A draft is the clerk's own unsent typing, not a record: it is not audited, and
it is dropped once the dossier is opened."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from domain.clock import utcnow
from domain.models import IntakeDraft

MAX_VALUE = 500  # characters per field: a draft holds what fits the form, nothing larger


def save_draft(session: Session, account_id: int, data: dict) -> None:
    """Keep the account's draft (one row per account)."""
    clean = {str(k)[:40]: (v[:MAX_VALUE] if isinstance(v, str) else bool(v)) for k, v in data.items()
             if isinstance(v, str | bool)}
    row = session.get(IntakeDraft, account_id)
    if row is None:
        session.add(IntakeDraft(account_id=account_id, data=clean))
    else:
        row.data, row.updated_at = clean, utcnow()
        session.add(row)
    session.flush()


def load_draft(session: Session, account_id: int) -> tuple[dict, datetime] | None:
    row = session.get(IntakeDraft, account_id)
    return (dict(row.data), row.updated_at) if row is not None and has_content(row.data) else None


def drop_draft(session: Session, account_id: int) -> None:
    """Forget the account's draft."""
    row = session.get(IntakeDraft, account_id)
    if row is not None:
        session.delete(row)
        session.flush()


def has_content(data: dict) -> bool:
    return any(isinstance(v, str) and v.strip() for k, v in data.items() if k != "kind")
