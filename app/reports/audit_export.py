"""The audit trail as an XLSX workbook (openpyxl), times in Asia/Ho_Chi_Minh."""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from app.reports.spreadsheet import safe_append
from domain.admin_audit_search import TARGET_LABELS, action_label
from domain.clock import to_local
from domain.models import AuditEvent

HEADERS = ["STT", "Thời điểm", "Người thực hiện", "Thao tác", "Mã thao tác", "Đối tượng", "Mã đối tượng",
           "Nội dung", "Địa chỉ máy", "Mã băm"]
WIDTHS = [6, 20, 26, 28, 22, 12, 14, 70, 16, 20]


def audit_xlsx(events: list[AuditEvent], title: str = "Nhật ký hệ thống") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Nhật ký"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(HEADERS)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for index, event in enumerate(events, start=1):
        local = to_local(event.at)
        safe_append(
            ws,
            [
                index,
                local.replace(tzinfo=None) if local else None,
                event.actor_name,
                action_label(event.action),
                event.action,
                TARGET_LABELS.get(event.target_type, event.target_type),
                event.target_id,
                event.summary,
                event.client_addr,
                event.hash[:16],
            ],
        )
        ws.cell(row=index + 2, column=2).number_format = "dd/mm/yyyy hh:mm:ss"
        ws.cell(row=index + 2, column=8).alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[ws.cell(row=2, column=column).column_letter].width = width
    ws.freeze_panes = "A3"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
