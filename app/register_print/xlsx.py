"""The register and the statistics as spreadsheets (streaming write-only workbooks)."""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from app.reports.spreadsheet import as_text, safe_append
from domain.clock import to_local
from domain.models import Office
from domain.refusal import REFUSAL_GROUNDS
from domain.register import RegisterRow
from domain.stats import STEP_LABELS

from .columns import COLUMNS, TITLE, closing_line


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
        safe_append(
            ws,
            [
                r.number_text,
                to_local(r.issued_at).date(),
                r.requester_name,
                r.requester_id_number or "",
                r.document_title,
                r.issuer,
                r.pages,
                r.copies,
                r.fee,
                r.signer_name,
                notes,
            ],
        )
    ws.append([])
    ws.append([closing_line(month, year, rows)])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def stats_xlsx(office_name: str, s) -> bytes:
    """The statistics page as a spreadsheet (domain.stats.OfficeStats)."""
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
