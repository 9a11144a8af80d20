"""The fee (C5): collected at the one-stop section by an official with collect_fee."""
from __future__ import annotations

from sqlmodel import Session, func, select

from domain import audit, webhook_events, workflow
from domain.access import CurrentUser
from domain.dossiers import WorkflowError, dossier_fee, lock_dossier_for, paid_amount
from domain.fees import vnd
from domain.models import Dossier, Original, Payment
from domain.rights import Right

METHOD_LABELS = {"cash": "Tiền mặt", "transfer": "Chuyển khoản"}


def record_payment(session: Session, user: CurrentUser, dossier_id: int, method: str, amount: int,
                   receipt_number: str, addr: str = "") -> Payment:
    """Record the fee for a dossier (the whole amount due)."""
    user.require(Right.COLLECT_FEE)
    dossier = lock_dossier_for(session, user, dossier_id)
    if dossier.state == workflow.REFUSED:
        raise WorkflowError("Hồ sơ đã bị từ chối; không thu phí.")
    if method not in METHOD_LABELS:
        raise WorkflowError("Vui lòng chọn hình thức nộp phí.")
    receipt_number = (receipt_number or "").strip()
    if not receipt_number:
        raise WorkflowError("Vui lòng nhập số biên lai.")
    due = dossier_fee(session, dossier.id) - paid_amount(session, dossier.id)
    if due <= 0:
        raise WorkflowError("Hồ sơ đã nộp đủ phí.")
    if amount != due:
        raise WorkflowError(f"Số tiền phải đúng bằng số phí còn phải nộp: {vnd(due)}.")
    if session.exec(select(Payment.id).where(Payment.receipt_number == receipt_number)).first():
        raise WorkflowError("Số biên lai này đã được dùng.")
    payment = Payment(dossier_id=dossier.id, amount=amount, method=method, receipt_number=receipt_number,
                      collected_by_id=user.account_id)
    session.add(payment)
    session.flush()
    audit.record(
        session,
        audit.actor_of(user, addr),
        "record_payment",
        target_type="dossier",
        target_id=dossier.id,
        office_id=dossier.office_id,
        summary=f"Thu phí {vnd(amount)} ({METHOD_LABELS[method]}), biên lai {receipt_number}",
    )
    webhook_events.record(session, dossier, webhook_events.FEE_PAID, amount=amount)
    session.flush()
    return payment


def payments_of(session: Session, dossier_id: int) -> list[Payment]:
    return list(session.exec(select(Payment).where(Payment.dossier_id == dossier_id).order_by(Payment.id)))


def fees_due(session: Session, office_id: int) -> list[tuple[Dossier, int, int]]:
    """(dossier, fee, paid) for the office's dossiers with an unpaid amount, not refused; oldest first.
    The fee is summed as `dossiers.dossier_fee` sums it: the originals' stored `fee`."""
    fee = (select(Original.dossier_id, func.sum(Original.fee).label("fee")).group_by(Original.dossier_id)
           .subquery())
    paid = (select(Payment.dossier_id, func.sum(Payment.amount).label("paid")).group_by(Payment.dossier_id)
            .subquery())
    rows = session.exec(
        select(Dossier, fee.c.fee, func.coalesce(paid.c.paid, 0))
        .join(fee, fee.c.dossier_id == Dossier.id)
        .outerjoin(paid, paid.c.dossier_id == Dossier.id)
        .where(Dossier.office_id == office_id, Dossier.state != workflow.REFUSED,
               fee.c.fee > func.coalesce(paid.c.paid, 0))
        .order_by(Dossier.received_at, Dossier.id)).all()
    return [(d, int(f), int(p)) for d, f, p in rows]
