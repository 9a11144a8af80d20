"""The written refusal notice (Decree 23/2015 Art. 9; SPEC C7): office header, "THÔNG BÁO từ chối
chứng thực", requester, document(s), each ground with its legal citation, the explanation, date,
and room for the official's signature."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.forms import pdf_base as base
from domain.clock import to_local, utcnow
from domain.dossiers import originals_of
from domain.models import Dossier, Office
from domain.refusal import REFUSAL_GROUNDS, ground_citation


@dataclass(frozen=True)
class Notice:
    office_name: str
    dossier_code: str
    requester: str
    requester_id: str
    requester_address: str
    documents: list[str]
    grounds: list[str]  # codes
    explanation: str
    official: str
    at: datetime


def refusal_notice_pdf(n: Notice) -> bytes:
    pdf = base.new_pdf("Thông báo từ chối chứng thực", n.office_name)
    local = to_local(n.at)
    base.header(pdf, n.office_name, number_line=f"Hồ sơ: {n.dossier_code}", day=local.date())
    base.title(pdf, "THÔNG BÁO", "Về việc từ chối chứng thực bản sao từ bản chính")
    base.paragraph(pdf, f"Kính gửi: {n.requester}" + (f" (giấy tờ tùy thân số {n.requester_id})"
                                                      if n.requester_id else ""), style="B")
    if n.requester_address:
        base.paragraph(pdf, f"Địa chỉ: {n.requester_address}")
    pdf.ln(2)
    documents = "; ".join(n.documents) if n.documents else "giấy tờ do người yêu cầu xuất trình"
    base.paragraph(
        pdf,
        f"Căn cứ Điều 9 và Điều 22 Nghị định số 23/2015/NĐ-CP ngày 16/02/2015 của Chính phủ, "
        f"{n.office_name} thông báo từ chối chứng thực bản sao từ bản chính đối với: {documents} "
        f"(thời điểm {local:%H:%M ngày %d/%m/%Y}).",
    )
    pdf.ln(1)
    base.paragraph(pdf, "Lý do từ chối:", style="B")
    for index, code in enumerate(n.grounds, 1):
        base.paragraph(pdf, f"{index}. {REFUSAL_GROUNDS[code].rstrip('.')} (theo {ground_citation(code)}).")
    pdf.ln(1)
    base.paragraph(pdf, "Giải thích cụ thể:", style="B")
    base.paragraph(pdf, n.explanation)
    pdf.ln(1)
    base.paragraph(
        pdf,
        "Người yêu cầu có thể bổ sung, hoàn thiện giấy tờ và đề nghị chứng thực lại; nếu không "
        "đồng ý với việc từ chối, có quyền khiếu nại theo quy định của pháp luật.",
        size=10.5,
    )
    base.signatures(pdf, [("", "", ""), ("NGƯỜI THỰC HIỆN CHỨNG THỰC", "(Ký, ghi rõ họ tên)", n.official)])
    return base.output(pdf)


def notice_for(session: Session, dossier: Dossier, grounds: list[str], explanation: str, official: str,
               at: datetime | None = None) -> bytes:
    office = session.get(Office, dossier.office_id)
    return refusal_notice_pdf(Notice(
        office_name=office.name, dossier_code=dossier.code, requester=dossier.requester_name,
        requester_id=dossier.requester_id_number or "", requester_address=dossier.requester_address or "",
        documents=[o.title for o in originals_of(session, dossier.id)], grounds=grounds,
        explanation=explanation.strip(), official=official, at=at or utcnow()))
