"""The signed year-end closing summary (biên bản khóa sổ) and the use case's composition."""
from __future__ import annotations

from io import BytesIO

from fpdf.fonts import FontFace
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer
from pyhanko.sign.fields import SigFieldSpec, append_signature_field

from app import files
from app.signing.resolve import office_kit
from domain import register
from domain.clock import format_local
from domain.fees import vnd
from domain.models import Office
from domain.ports import Signer
from domain.register import YearSummary
from domain.signing.ports import SignatureRequest
from domain.unit_of_work import Units

from .columns import TITLE
from .pdf import header, new_pdf

CLOSING_FIELD = "KhoaSo"
PT_PER_MM = 72 / 25.4


CLOSING_BOX_MM = (105.0, 215.0, 195.0, 255.0)  # left, top, right, bottom on the portrait A4 page


def closing_pdf(s: YearSummary) -> bytes:
    """The closing summary (biên bản khóa sổ), unsigned, with an empty signature field for the office."""
    pdf = new_pdf("P", f"Khóa sổ chứng thực năm {s.year}", s.office_name)
    pdf.set_margins(20, 15, 15)
    pdf.footer_text = f"{s.office_name} — khóa sổ năm {s.year}"
    pdf.add_page()
    header(pdf, s.office_name)
    pdf.set_font("Noto", "B", 13)
    pdf.multi_cell(0, 7, f"BIÊN BẢN KHÓA SỔ\n{TITLE}\nNĂM {s.year}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Noto", "", 11)
    if s.total:
        count = f"có {s.total} việc chứng thực, từ số {s.first_number} đến số {s.last_number}"
    else:
        count = "không có việc chứng thực nào"
    lines = [
        f"Sổ chứng thực bản sao điện tử từ bản chính năm {s.year} của {s.office_name}"
        + (f" (quyển số {', '.join(s.books)})" if s.books else "")
        + f" {count}.",
        f"Tổng số trang bản chính: {s.pages}; tổng số bản sao: {s.copies}; "
        f"tổng phí chứng thực: {vnd(s.fees)}.",
        f"Mã băm (SHA-256) của mục cuối cùng trong chuỗi:\n{s.last_hash or '—'}",
        f"Sổ được khóa lúc {format_local(s.closed_at)} bởi {s.closed_by}; từ thời điểm này không ghi thêm "
        f"việc chứng thực nào vào sổ năm {s.year}.",
    ]
    for line in lines:
        pdf.multi_cell(0, 6.5, line, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.ln(2)
    pdf.set_font("Noto", "", 10)
    with pdf.table(col_widths=(40, 40), width=80, line_height=5.5, text_align=("LEFT", "RIGHT"),
                   headings_style=FontFace(emphasis="BOLD")) as table:
        row = table.row()
        row.cell("Tháng")
        row.cell("Số việc")
        for month, n in enumerate(s.by_month, start=1):
            row = table.row()
            row.cell(f"{month:02d}/{s.year}")
            row.cell(str(n))
    buf = BytesIO(bytes(pdf.output()))
    writer = copy_into_new_writer(PdfFileReader(buf))
    left, top, right, bottom = CLOSING_BOX_MM
    page_h = 297 * PT_PER_MM
    box = (round(left * PT_PER_MM), round(page_h - bottom * PT_PER_MM),
           round(right * PT_PER_MM), round(page_h - top * PT_PER_MM))
    append_signature_field(writer, SigFieldSpec(CLOSING_FIELD, on_page=0, box=box))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def sign_closing(pdf: bytes, signer: Signer, s: YearSummary, tsa_url: str | None = None,
                 trust_roots_der: tuple[bytes, ...] = ()) -> bytes:
    request = SignatureRequest(
        field_name=CLOSING_FIELD,
        stamp_lines=(s.office_name, f"Khóa sổ chứng thực năm {s.year}", f"{s.total} việc chứng thực",
                     f"Ngày {format_local(s.closed_at, '%d/%m/%Y %H:%M')}"),
        reason=f"Khóa sổ chứng thực năm {s.year}", location=s.office_name, signer_name=s.office_name,
        tsa_url=tsa_url, trust_roots_der=trust_roots_der)
    return signer.sign_pdf(pdf, request)


def close_year(units: Units, user, year: int, addr: str = "", today=None):
    """Close the office's register for `year`, the summary signed with the office's signature: a read to
    check, the signing outside any transaction, a short transaction to record (checking again). The seal is
    the one copies get: the same key (a remote one with the seal keeper's approval of this signature), the
    same time-stamp service (the demo's in demo mode) and trust roots."""
    with units.read() as session:
        summary = register.begin_close(session, user, year, today)
        office = session.get(Office, user.office_id)
    signer, tsa, roots = office_kit(office, user.account_id)
    pdf = sign_closing(closing_pdf(summary), signer, summary, tsa, roots)
    sha = files.save_bytes(pdf)
    with units.write() as session:
        files.record(session, sha, len(pdf), "application/pdf")
        return register.finish_close(session, user, summary, sha, addr)
