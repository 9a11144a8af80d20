"""The appointment slip (phiếu hẹn trả kết quả, SPEC C4 in docs/requirements.md): given whenever the
result is not returned the same day — office, dossier code, requester, originals, the hour and date of
the result."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.forms import pdf_base as base
from domain.clock import to_local
from domain.dossiers import originals_of
from domain.models import Account, Dossier, Office


@dataclass(frozen=True)
class Slip:
    office_name: str
    office_address: str
    dossier_code: str
    requester: str
    requester_id: str
    requester_phone: str
    originals: list[tuple[str, int, int]]  # title, pages, copies
    received_at: datetime
    due_at: datetime
    official: str
    extension_reason: str = ""


def appointment_slip_pdf(s: Slip) -> bytes:
    pdf = base.new_pdf("Phiếu hẹn trả kết quả", s.office_name)
    received, due = to_local(s.received_at), to_local(s.due_at)
    base.header(pdf, s.office_name, number_line=f"Mã hồ sơ: {s.dossier_code}", day=received.date())
    base.title(pdf, "PHIẾU HẸN TRẢ KẾT QUẢ", "Chứng thực bản sao điện tử từ bản chính")
    base.paragraph(pdf, f"{s.office_name} đã tiếp nhận hồ sơ đề nghị chứng thực của:")
    pdf.ln(1)
    base.row(pdf, "Người yêu cầu", s.requester)
    if s.requester_id:
        base.row(pdf, "Số giấy tờ tùy thân", s.requester_id)
    if s.requester_phone:
        base.row(pdf, "Số điện thoại", s.requester_phone)
    base.row(pdf, "Mã hồ sơ", s.dossier_code)
    base.row(pdf, "Tiếp nhận lúc", received.strftime("%H giờ %M, ngày %d/%m/%Y"))
    pdf.ln(1)
    base.paragraph(pdf, "Giấy tờ đề nghị chứng thực:", style="B")
    if s.originals:
        for index, (name, pages, copies) in enumerate(s.originals, 1):
            base.paragraph(pdf, f"{index}. {name} — {pages} trang, {copies} bản")
    else:
        base.paragraph(pdf, "(Chưa ghi nhận bản chính)")
    pdf.ln(2)
    base.paragraph(
        pdf, "Thời gian trả kết quả: " + due.strftime("%H giờ %M, ngày %d/%m/%Y"), size=13, style="B"
    )
    if s.extension_reason:
        base.paragraph(pdf, f"Lý do gia hạn: {s.extension_reason}")
    base.paragraph(
        pdf,
        "Bản sao điện tử được gửi vào tài khoản của người yêu cầu trên hệ thống và thư điện tử "
        "(nếu có). Khi đến nhận kết quả, vui lòng mang theo phiếu hẹn này"
        + (f". Địa chỉ: {s.office_address}." if s.office_address else "."),
    )
    base.signatures(pdf, [("NGƯỜI YÊU CẦU", "(Ký, ghi rõ họ tên)", s.requester),
                          ("NGƯỜI TIẾP NHẬN", "(Ký, ghi rõ họ tên)", s.official)])
    return base.output(pdf)


def slip_for(session: Session, dossier: Dossier) -> bytes:
    office = session.get(Office, dossier.office_id)
    official = session.get(Account, dossier.created_by_id)
    return appointment_slip_pdf(
        Slip(
            office_name=office.name,
            office_address=office.address or "",
            dossier_code=dossier.code,
            requester=dossier.requester_name,
            requester_id=dossier.requester_id_number or "",
            requester_phone=dossier.requester_phone or "",
            originals=[(o.title, o.pages, o.copies) for o in originals_of(session, dossier.id)],
            received_at=dossier.received_at,
            due_at=dossier.due_at,
            official=official.full_name if official else "",
            extension_reason=dossier.extension_reason or "",
        )
    )
