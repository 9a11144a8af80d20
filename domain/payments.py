"""The fee (C5): collected at the one-stop section by an official with collect_fee."""
from __future__ import annotations

from sqlmodel import Session, select

from domain import audit, workflow
from domain.access import CurrentUser
from domain.audit import Actor
from domain.dossiers import WorkflowError, dossier_fee, lock_dossier_for, paid_amount
from domain.fees import format_amount
from domain.models import Payment
from domain.rights import Right

METHOD_LABELS = {"cash": "Tiền mặt", "transfer": "Chuyển khoản"}


def record_payment(session: Session, user: CurrentUser, dossier_id: int, method: str, amount: int,
                   receipt_number: str, addr: str = "") -> Payment:
    """Record the fee for a dossier (the whole amount due). Commits."""
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
        raise WorkflowError(f"Số tiền phải đúng bằng số phí còn phải nộp: {format_amount(due)} đồng.")
    if session.exec(select(Payment.id).where(Payment.receipt_number == receipt_number)).first():
        raise WorkflowError("Số biên lai này đã được dùng.")
    payment = Payment(dossier_id=dossier.id, amount=amount, method=method, receipt_number=receipt_number,
                      collected_by_id=user.account_id)
    session.add(payment)
    session.flush()
    audit.record(session, Actor(user.account_id, user.full_name, addr), "record_payment", target_type="dossier",
                 target_id=dossier.id, office_id=dossier.office_id,
                 summary=f"Thu phí {amount} đồng ({METHOD_LABELS[method]}), biên lai {receipt_number}")
    session.commit()
    return payment


def payments_of(session: Session, dossier_id: int) -> list[Payment]:
    return list(session.exec(select(Payment).where(Payment.dossier_id == dossier_id).order_by(Payment.id)))
