"""Writes of steps 3–4 that open the use case's own transaction (run with tx="own"): the return for
correction, the revocation of an issued copy, an e-mail sent again. The read side is app/views."""

from __future__ import annotations

from app.db import session_scope, write_scope
from app.outbox.mailer import retry_now
from domain import certification, revocation
from domain.access import CurrentUser
from domain.models import Dossier, EmailMessage, Revocation


def return_dossier(user: CurrentUser, dossier_id: int, comment: str, addr: str = "") -> Dossier:
    with write_scope() as session:
        return certification.return_for_correction(session, user, dossier_id, comment, addr)


def revoke_entry(user: CurrentUser, entry_id: int, reason: str, addr: str = "") -> Revocation:
    with write_scope() as session:
        return revocation.revoke(session, user, entry_id, reason, addr)


def retry_email(user: CurrentUser, message_id: int) -> bool:
    """An official of the dossier's office asks to send an e-mail again. False if not theirs."""
    with session_scope() as session:
        message = session.get(EmailMessage, message_id)
        dossier = session.get(Dossier, message.dossier_id) if message and message.dossier_id else None
        if dossier is None or user.is_citizen or dossier.office_id != user.office_id:
            return False
    retry_now(message_id)
    return True
