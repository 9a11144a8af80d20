"""The fee desk: dossiers with an amount still to pay, and the latest receipts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from app.db import session_scope
from domain import payments
from domain.models import Dossier, Payment

RECENT = 20


@dataclass(frozen=True)
class FeeDue:
    dossier_id: int
    code: str
    requester_name: str
    received_at: datetime
    state: str
    fee: int
    paid: int

    @property
    def owed(self) -> int:
        return self.fee - self.paid


@dataclass(frozen=True)
class Receipt:
    payment_id: int
    receipt_number: str
    code: str
    requester_name: str
    amount: int
    at: datetime


def _fees_due(session: Session, office_id: int) -> list[FeeDue]:
    return [FeeDue(d.id, d.code, d.requester_name, d.received_at, d.state, fee, paid)
            for d, fee, paid in payments.fees_due(session, office_id)]


def fees_due(office_id: int) -> list[FeeDue]:
    """The office's dossiers with an unpaid amount, not refused; oldest first."""
    with session_scope() as session:
        return _fees_due(session, office_id)


def fee_desk(office_id: int, recent: int = RECENT) -> tuple[list[FeeDue], list[Receipt]]:
    """What /fees shows: the dossiers owing a fee and the office's latest receipts, newest first."""
    with session_scope() as session:
        due = _fees_due(session, office_id)
        rows = session.exec(select(Payment, Dossier).join(Dossier, Dossier.id == Payment.dossier_id)
                            .where(Dossier.office_id == office_id)
                            .order_by(Payment.id.desc()).limit(recent)).all()
    return due, [Receipt(p.id, p.receipt_number, d.code, d.requester_name, p.amount, p.at) for p, d in rows]
