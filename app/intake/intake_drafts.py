"""The intake draft's transactions (the rules and rows: domain/intake_drafts.py)."""
from __future__ import annotations

from datetime import datetime

from app.db import session_scope, write_scope
from domain import intake_drafts
from domain.intake_drafts import has_content  # noqa: F401 — the component asks it too


def save_draft(account_id: int, data: dict) -> None:
    with write_scope() as session:
        intake_drafts.save_draft(session, account_id, data)


def load_draft(account_id: int) -> tuple[dict, datetime] | None:
    with session_scope() as session:
        return intake_drafts.load_draft(session, account_id)


def drop_draft(account_id: int) -> None:
    with write_scope() as session:
        intake_drafts.drop_draft(session, account_id)
