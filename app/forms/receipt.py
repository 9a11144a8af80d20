"""The fee receipt (biên lai thu phí chứng thực, SPEC C5): office, receipt number, payer, dossier,
each original's pages and fee, the total in figures and words, method, collector, date."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.forms import pdf_base as base
from domain.clock import to_local
from domain.dossiers import originals_of
from domain.models import Account, Dossier, Office, Payment
from domain.payments import METHOD_LABELS


@dataclass(frozen=True)
class ReceiptLine:
    title: str
    pages: int
    copies: int
    fee: int


@dataclass(frozen=True)
class Receipt:
    office_name: str
    receipt_number: str
    payer: str
    payer_address: str
    dossier_code: str
    lines: list[ReceiptLine]
    total: int
    method: str  # label
    collector: str
    at: datetime


def receipt_pdf(r: Receipt) -> bytes:
    pdf = base.new_pdf("Biên lai thu phí chứng thực", r.office_name)
    local = to_local(r.at)
    base.header(pdf, r.office_name, number_line=f"Số biên lai: {r.receipt_number}", day=local.date())
    base.title(
        pdf, "BIÊN LAI THU PHÍ CHỨNG THỰC", "(Phí chứng thực bản sao từ bản chính — Thông tư 226/2016/TT-BTC)"
    )
    base.row(pdf, "Người nộp", r.payer)
    if r.payer_address:
        base.row(pdf, "Địa chỉ", r.payer_address)
    base.row(pdf, "Mã hồ sơ", r.dossier_code)
    pdf.ln(2)
    rows = [[line.title, str(line.pages), str(line.copies), base.vnd(line.fee)] for line in r.lines]
    rows.append(["Tổng cộng", "", "", base.vnd(r.total)])
    base.table(pdf, ["Bản chính", "Số trang", "Số bản", "Phí"], rows, [80, 25, 20, 45])
    pdf.ln(3)
    base.row(pdf, "Tổng số tiền", base.vnd(r.total))
    base.row(pdf, "Bằng chữ", base.amount_in_words(r.total))
    base.row(pdf, "Hình thức nộp", r.method)
    base.row(pdf, "Thời điểm thu", local.strftime("%H:%M ngày %d/%m/%Y"))
    base.signatures(pdf, [("NGƯỜI NỘP TIỀN", "(Ký, ghi rõ họ tên)", r.payer),
                          ("NGƯỜI THU TIỀN", "(Ký, ghi rõ họ tên)", r.collector)])
    return base.output(pdf)


def receipt_for(session: Session, payment_id: int) -> bytes:
    """The receipt PDF of a recorded payment (the caller has checked the office scope)."""
    payment = session.get(Payment, payment_id)
    dossier = session.get(Dossier, payment.dossier_id)
    office = session.get(Office, dossier.office_id)
    collector = session.get(Account, payment.collected_by_id)
    lines = [ReceiptLine(o.title, o.pages, o.copies, o.fee) for o in originals_of(session, dossier.id)]
    return receipt_pdf(Receipt(
        office_name=office.name, receipt_number=payment.receipt_number, payer=dossier.requester_name,
        payer_address=dossier.requester_address or "", dossier_code=dossier.code, lines=lines,
        total=payment.amount, method=METHOD_LABELS.get(payment.method, payment.method),
        collector=collector.full_name if collector else "", at=payment.at))
