"""The register on paper and in a spreadsheet: the monthly print (landscape A4 PDF, bound into the
year's book), the monthly XLSX export, and the signed year-end closing summary.

    pdf = monthly_pdf(office, year, month, rows)        # rows: domain.register.month_rows(...)
    xlsx = monthly_xlsx(office, year, month, rows)
    pdf = closing_pdf(summary); signed = sign_closing(pdf, office_signer(office), summary)
"""
from __future__ import annotations

from io import BytesIO

from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer
from pyhanko.sign.fields import SigFieldSpec, append_signature_field

from app.spreadsheet import as_text, safe_append
from domain.clock import format_local, to_local
from domain.fees import format_amount, vnd
from domain.models import Office
from domain.register import RegisterRow, YearSummary
from domain.ports import Signer
from domain.signing.ports import SignatureRequest

FONT_DIR = "/usr/share/fonts/truetype/noto"
REGULAR = f"{FONT_DIR}/NotoSans-Regular.ttf"
BOLD = f"{FONT_DIR}/NotoSans-Bold.ttf"
TITLE = "SỔ CHỨNG THỰC BẢN SAO ĐIỆN TỬ TỪ BẢN CHÍNH"
CLOSING_FIELD = "KhoaSo"
PT_PER_MM = 72 / 25.4

COLUMNS: list[tuple[str, float]] = [  # heading, width in mm (277 mm = landscape A4 less 2 × 10 mm)
    ("Số chứng thực", 18),
    ("Ngày chứng thực", 20),
    ("Họ tên, số giấy tờ tùy thân người yêu cầu", 45),
    ("Tên, loại giấy tờ, văn bản (bản chính)", 50),
    ("Cơ quan, tổ chức cấp bản chính", 38),
    ("Số trang", 14),
    ("Số bản sao", 13),
    ("Phí chứng thực (đồng)", 18),
    ("Người thực hiện chứng thực", 35),
    ("Ghi chú", 26),
]


def row_cells(r: RegisterRow) -> list[str]:
    requester = r.requester_name + (f"\n{r.requester_id_number}" if r.requester_id_number else "")
    notes = "; ".join(x for x in (r.notes, "Đã thu hồi" if r.revoked else "") if x)
    return [r.number_text, format_local(r.issued_at, "%d/%m/%Y"), requester, r.document_title, r.issuer,
            str(r.pages), str(r.copies), format_amount(r.fee), r.signer_name, notes]


def closing_line(month: int, year: int, rows: list[RegisterRow]) -> str:
    if not rows:
        return f"Tháng {month:02d}/{year} không có việc chứng thực nào."
    return (f"Tháng {month:02d}/{year} có {len(rows)} việc chứng thực, "
            f"từ số {rows[0].number_text} đến số {rows[-1].number_text}.")


class _RegisterPdf(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("Noto", "", 8)
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="R")


def _new_pdf(orientation: str, title: str, author: str) -> _RegisterPdf:
    pdf = _RegisterPdf(orientation=orientation, unit="mm", format="A4")
    pdf.add_font("Noto", "", REGULAR)
    pdf.add_font("Noto", "B", BOLD)
    pdf.set_margins(10, 10, 10)
    pdf.set_auto_page_break(True, margin=14)
    pdf.alias_nb_pages()
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_creator("Chứng thực bản sao điện tử")
    return pdf


def _header(pdf: FPDF, office_name: str) -> None:
    """Office on the left, the national header on the right."""
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    top = pdf.get_y()
    pdf.set_font("Noto", "B", 10)
    pdf.multi_cell(half, 5, office_name.upper(), align="C", new_x="LEFT", new_y="NEXT")
    left_bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + half, top)
    pdf.cell(half, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LEFT", new_y="NEXT")
    pdf.cell(half, 5, "Độc lập - Tự do - Hạnh phúc", align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_y(max(left_bottom, pdf.get_y()) + 4)


class _FastTable:
    """A bordered table drawn line by line, the heading repeated on every page.

    fpdf2's own `pdf.table()` lays each cell out through its full text engine (about 3.5 ms per
    register row: 11 s for a busy month); here words are measured once (cached) and wrapped greedily,
    which brings a month of 3,000 entries well under a second and a half.
    """

    def __init__(self, pdf: FPDF, columns: list[tuple[str, float]], *, font_size: float = 8,
                 right_aligned: tuple[int, ...] = (), padding: float = 0.8):
        self.pdf, self.columns, self.size, self.right, self.pad = pdf, columns, font_size, set(right_aligned), padding
        self.line_h = font_size * 0.3528 * 1.25
        self._widths: dict[tuple[str, str], float] = {}

    def _width(self, text: str, style: str) -> float:
        key = (text, style)
        w = self._widths.get(key)
        if w is None:
            w = self._widths[key] = self.pdf.get_string_width(text)
        return w

    def _wrap(self, text: str, width: float, style: str) -> list[str]:
        lines: list[str] = []
        space = self._width(" ", style)
        for para in text.split("\n"):
            line, line_w = "", 0.0
            for word in para.split():
                w = self._width(word, style)
                while w > width:  # a word longer than the column: cut it
                    cut = len(word)
                    while cut > 1 and self._width(word[:cut], style) > width:
                        cut -= 1
                    if line:
                        lines.append(line)
                    lines.append(word[:cut])
                    line, line_w = "", 0.0
                    word = word[cut:]
                    w = self._width(word, style)
                if line and line_w + space + w > width:
                    lines.append(line)
                    line, line_w = word, w
                else:
                    line, line_w = (f"{line} {word}", line_w + space + w) if line else (word, w)
            lines.append(line)
        return lines or [""]

    def _row(self, cells: list[str], style: str, heading: bool = False) -> None:
        pdf, pad = self.pdf, self.pad
        pdf.set_font("Noto", style, self.size)
        wrapped = [self._wrap(text, w - 2 * pad, style) for text, (_, w) in zip(cells, self.columns)]
        height = max(len(lines) for lines in wrapped) * self.line_h + 2 * pad
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
            if not heading:
                self._heading()
                pdf.set_font("Noto", style, self.size)
        x, y = pdf.l_margin, pdf.get_y()
        if heading:
            pdf.set_fill_color(230, 230, 230)
        for i, (lines, (_, w)) in enumerate(zip(wrapped, self.columns)):
            pdf.rect(x, y, w, height, style="DF" if heading else "D")
            for j, line in enumerate(lines):
                if not line:
                    continue
                if heading:
                    tx = x + (w - self._width(line, style)) / 2
                elif i in self.right:
                    tx = x + w - pad - self._width(line, style)
                else:
                    tx = x + pad
                pdf.text(tx, y + pad + (j + 0.8) * self.line_h, line)
            x += w
        pdf.set_y(y + height)

    def _heading(self) -> None:
        self._row([name for name, _ in self.columns], "B", heading=True)

    def render(self, rows) -> None:
        self.pdf.set_line_width(0.15)
        self._heading()
        for cells in rows:
            self._row(cells, "")


def monthly_pdf(office: Office, year: int, month: int, rows: list[RegisterRow]) -> bytes:
    """The month's register print: landscape A4, one row per entry, page numbers, closing line."""
    pdf = _new_pdf("L", f"{TITLE} — tháng {month:02d}/{year}", office.name)
    pdf.footer_text = f"{office.name} — {TITLE.capitalize()} — tháng {month:02d}/{year}"
    pdf.add_page()
    _header(pdf, office.name)
    pdf.set_font("Noto", "B", 14)
    pdf.cell(0, 8, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Noto", "", 11)
    books = sorted({r.book for r in rows})
    if books:
        pdf.cell(0, 6, "Quyển số: " + ", ".join(books), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, f"Tháng {month:02d} năm {year}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    _FastTable(pdf, COLUMNS, right_aligned=(5, 6, 7)).render(row_cells(r) for r in rows)
    pdf.ln(4)
    pdf.set_font("Noto", "B", 10)
    pdf.multi_cell(0, 6, closing_line(month, year, rows), align="L", new_x="LMARGIN", new_y="NEXT")
    if rows:
        pdf.set_font("Noto", "", 10)
        pdf.multi_cell(0, 6, f"Tổng phí chứng thực: {vnd(sum(r.fee for r in rows))}; "
                             f"tổng số trang: {sum(r.pages for r in rows)}; tổng số bản sao: "
                             f"{sum(r.copies for r in rows)}.", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    pdf.set_x(pdf.l_margin + half)
    pdf.set_font("Noto", "B", 10)
    pdf.cell(half, 6, "NGƯỜI GIỮ SỔ", align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("Noto", "", 9)
    pdf.cell(half, 5, "(Ký, ghi rõ họ tên)", align="C")
    return bytes(pdf.output())


def monthly_xlsx(office: Office, year: int, month: int, rows: list[RegisterRow]) -> bytes:
    """The month's register as a spreadsheet (streaming write-only workbook)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(f"{month:02d}-{year}")
    for col, (_, width) in enumerate(COLUMNS):
        ws.column_dimensions[chr(ord("A") + col)].width = max(8, width * 0.6)
    bold = Font(bold=True)

    def styled(text, font=bold):
        cell = WriteOnlyCell(ws, value=text)
        cell.font = font
        as_text(cell)
        return cell

    ws.append([styled(office.name)])
    ws.append([styled(TITLE)])
    books = sorted({r.book for r in rows})
    ws.append([f"Quyển số: {', '.join(books)}" if books else "", f"Tháng {month:02d} năm {year}"])
    heads = []
    for name, _ in COLUMNS[:2] + [("Họ tên người yêu cầu", 0), ("Số giấy tờ tùy thân", 0)] + COLUMNS[3:]:
        cell = styled(name)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        heads.append(cell)
    ws.append(heads)
    for r in rows:
        notes = "; ".join(x for x in (r.notes, "Đã thu hồi" if r.revoked else "") if x)
        safe_append(ws, [r.number_text, to_local(r.issued_at).date(), r.requester_name, r.requester_id_number or "",
                         r.document_title, r.issuer, r.pages, r.copies, r.fee, r.signer_name, notes])
    ws.append([])
    ws.append([closing_line(month, year, rows)])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---- year-end closing ------------------------------------------------------------------------

CLOSING_BOX_MM = (105.0, 215.0, 195.0, 255.0)  # left, top, right, bottom on the portrait A4 page


def closing_pdf(s: YearSummary) -> bytes:
    """The closing summary (biên bản khóa sổ), unsigned, with an empty signature field for the office."""
    pdf = _new_pdf("P", f"Khóa sổ chứng thực năm {s.year}", s.office_name)
    pdf.set_margins(20, 15, 15)
    pdf.footer_text = f"{s.office_name} — khóa sổ năm {s.year}"
    pdf.add_page()
    _header(pdf, s.office_name)
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
        + (f" (quyển số {', '.join(s.books)})" if s.books else "") + f" {count}.",
        f"Tổng số trang bản chính: {s.pages}; tổng số bản sao: {s.copies}; tổng phí chứng thực: {vnd(s.fees)}.",
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


def sign_closing(pdf: bytes, signer: Signer, s: YearSummary, tsa_url: str | None = None) -> bytes:
    request = SignatureRequest(
        field_name=CLOSING_FIELD,
        stamp_lines=(s.office_name, f"Khóa sổ chứng thực năm {s.year}", f"{s.total} việc chứng thực",
                     f"Ngày {format_local(s.closed_at, '%d/%m/%Y %H:%M')}"),
        reason=f"Khóa sổ chứng thực năm {s.year}", location=s.office_name, signer_name=s.office_name,
        tsa_url=tsa_url)
    return signer.sign_pdf(pdf, request)


def close_year(user, year: int, addr: str = "", today=None):
    """Close the office's register for `year`, the summary signed with the office's signature."""
    from app.certification_service import STORE, office_signer
    from app.db import write_scope
    from app.settings import get_settings
    from domain import register

    tsa = get_settings().tsa_url or None
    with write_scope() as session:
        office = session.get(Office, user.office_id)
        signer = office_signer(office)

        def make(summary: YearSummary) -> bytes:
            return sign_closing(closing_pdf(summary), signer, summary, tsa)

        return register.close_year(session, user, year, make, STORE.put, addr, today)


def stats_xlsx(office_name: str, s) -> bytes:
    """The statistics page as a spreadsheet (domain.stats.OfficeStats)."""
    from domain.refusal import REFUSAL_GROUNDS
    from domain.stats import STEP_LABELS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Tổng hợp")
    safe_append(ws, [office_name])
    ws.append([f"Thống kê từ {s.date_from:%d/%m/%Y} đến {s.date_to:%d/%m/%Y}"])
    ws.append([])
    for label, value in (("Số việc chứng thực (mục trong sổ)", s.entries), ("Số bản sao", s.copies),
                         ("Số trang bản chính", s.pages), ("Hồ sơ đã trả kết quả", s.dossiers_issued),
                         ("Phí chứng thực đã thu (đồng)", s.fees_collected), ("Số lần thu phí", s.payments),
                         ("Hồ sơ bị từ chối", s.refused)):
        ws.append([label, value])
    ws.append([])
    ws.append(["Bước", "Số hồ sơ", "Đúng hạn", "Tỷ lệ đúng hạn", "Trung vị (giờ làm việc)"])
    for key, stat in s.steps.items():
        ws.append([STEP_LABELS.get(key, key), stat.total, stat.on_time,
                   round(stat.rate, 4) if stat.rate is not None else None, stat.median_hours])
    ws = wb.create_sheet("Từ chối")
    ws.append(["Căn cứ từ chối", "Số lần"])
    for ground, n in s.refusals_by_ground.items():
        ws.append([REFUSAL_GROUNDS.get(ground, ground), n])
    ws = wb.create_sheet("Theo công chức")
    ws.append(["Công chức", "Hồ sơ tiếp nhận", "Hồ sơ đã ký", "Hồ sơ đã đóng dấu"])
    for w in s.officials:
        safe_append(ws, [w.name, w.created, w.signed, w.sealed])
    ws = wb.create_sheet("Theo ngày")
    ws.append(["Ngày", "Số việc chứng thực"])
    for day, n in s.per_day:
        ws.append([day, n])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
