"""The account request form (giấy đề nghị tạo tài khoản, SPEC A10): a one-page A4 PDF in Vietnamese,
filled with the data the official entered, for the citizen to check and sign."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fpdf import FPDF

from app.forms.pdf_base import header, new_pdf, signatures


@dataclass(frozen=True)
class AccountRequest:
    full_name: str
    id_number: str
    date_of_birth: date | None
    phone: str
    email: str | None
    one_stop_unit: str
    office_name: str
    official_name: str
    old_id_number: str | None = None
    sex: str | None = None
    address: str | None = None
    place: str = ""
    day: date | None = None


def account_request_pdf(req: AccountRequest) -> bytes:
    pdf = new_pdf("Giấy đề nghị tạo tài khoản", req.office_name)
    header(pdf, req.office_name, sub_unit=req.one_stop_unit, place=req.place, day=req.day)
    pdf.ln(6)
    pdf.set_font("Noto", "B", 15)
    pdf.cell(0, 8, "GIẤY ĐỀ NGHỊ TẠO TÀI KHOẢN", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Noto", "", 11)
    pdf.cell(0, 6, "trên Hệ thống chứng thực bản sao điện tử từ bản chính", align="C",
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)
    pdf.set_font("Noto", "", 11.5)
    pdf.multi_cell(
        0, 6.5, f"Kính gửi: {req.one_stop_unit} — {req.office_name}.", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(2)
    pdf.multi_cell(0, 6.5, "Tôi đề nghị được tạo tài khoản công dân với các thông tin sau:",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    for label, value in _rows(req):
        _row(pdf, label, value)
    pdf.ln(3)
    pdf.set_font("Noto", "", 11.5)
    pdf.multi_cell(0, 6.5,
                   "Tôi xác nhận các thông tin trên là đúng; số điện thoại trên là số của chính tôi, dùng để "
                   "nhận mã OTP và mật khẩu đăng nhập. Tôi cam kết tự bảo mật mật khẩu và đổi mật khẩu ở lần "
                   "đăng nhập đầu tiên.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    signatures(pdf, [("CÔNG CHỨC TIẾP NHẬN", "(Ký, ghi rõ họ tên)", req.official_name),
                     ("NGƯỜI ĐỀ NGHỊ", "(Ký, ghi rõ họ tên)", req.full_name)])
    return bytes(pdf.output())


def _rows(req: AccountRequest) -> list[tuple[str, str]]:
    rows = [
        ("Họ và tên", req.full_name.upper()),
        ("Ngày sinh", req.date_of_birth.strftime("%d/%m/%Y") if req.date_of_birth else ""),
    ]
    if req.sex:
        rows.append(("Giới tính", req.sex))
    rows.append(("Số định danh cá nhân (CCCD)", req.id_number))
    if req.old_id_number:
        rows.append(("Số CMND cũ", req.old_id_number))
    if req.address:
        rows.append(("Nơi thường trú / cư trú", req.address))
    rows += [
        ("Số điện thoại di động", req.phone),
        ("Thư điện tử", req.email or "(không có)"),
        ("Tên đăng nhập", f"{req.id_number} (hoặc số điện thoại)"),
        ("Nơi tiếp nhận", req.one_stop_unit),
        ("Công chức tiếp nhận", req.official_name),
    ]
    return rows


def _row(pdf: FPDF, label: str, value: str) -> None:
    pdf.set_font("Noto", "", 11.5)
    pdf.cell(65, 7, f"{label}:")
    pdf.set_font("Noto", "B", 11.5)
    pdf.multi_cell(0, 7, value or "", new_x="LMARGIN", new_y="NEXT")


