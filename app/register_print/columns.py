"""The register's columns and cells, the same on paper and in the spreadsheet."""
from __future__ import annotations

from domain.clock import format_local
from domain.fees import format_amount
from domain.register import RegisterRow

TITLE = "SỔ CHỨNG THỰC BẢN SAO ĐIỆN TỬ TỪ BẢN CHÍNH"


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
