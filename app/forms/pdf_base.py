"""Shared pieces of the PDFs handed to people (receipt, appointment slip, refusal notice):
A4 with Noto Sans, the office + national header, label/value rows, signature columns, money."""
from __future__ import annotations

from datetime import date

from fpdf import FPDF
from fpdf.fonts import FontFace

from domain.fees import vnd  # noqa: F401 — forms write amounts as base.vnd

FONT_DIR = "/usr/share/fonts/truetype/noto"
REGULAR = f"{FONT_DIR}/NotoSans-Regular.ttf"
BOLD = f"{FONT_DIR}/NotoSans-Bold.ttf"
ITALIC = f"{FONT_DIR}/NotoSans-Italic.ttf"


def new_pdf(title: str, author: str) -> FPDF:
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_margins(20, 15, 20)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("Noto", "", REGULAR)
    pdf.add_font("Noto", "B", BOLD)
    try:
        pdf.add_font("Noto", "I", ITALIC)
    except (FileNotFoundError, OSError):
        pdf.add_font("Noto", "I", REGULAR)
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.add_page()
    return pdf


def header(pdf: FPDF, office_name: str, sub_unit: str = "", number_line: str = "", place: str = "",
           day: date | None = None) -> None:
    """Left: the office (and unit, document number); right: the national motto and the date."""
    top = pdf.get_y()
    left_w, right_w = 70, pdf.w - pdf.l_margin - pdf.r_margin - 70
    pdf.set_font("Noto", "B" if not sub_unit else "", 10)
    pdf.multi_cell(left_w, 5, office_name.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    if sub_unit:
        pdf.set_font("Noto", "B", 10)
        pdf.multi_cell(left_w, 5, sub_unit, align="C", new_x="LMARGIN", new_y="NEXT")
    if number_line:
        pdf.set_font("Noto", "", 10)
        pdf.multi_cell(left_w, 5, number_line, align="C", new_x="LMARGIN", new_y="NEXT")
    left_bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + left_w, top)
    pdf.set_font("Noto", "B", 10.5)
    pdf.cell(right_w, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("Noto", "B", 11)
    pdf.cell(right_w, 6, "Độc lập - Tự do - Hạnh phúc", align="C", new_x="LEFT", new_y="NEXT")
    x_mid = pdf.l_margin + left_w + right_w / 2
    pdf.line(x_mid - 24, pdf.get_y(), x_mid + 24, pdf.get_y())
    pdf.ln(3)
    pdf.set_x(pdf.l_margin + left_w)
    pdf.set_font("Noto", "I", 10.5)
    pdf.cell(right_w, 6, date_line(day or date.today(), place), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), left_bottom))


def date_line(day: date, place: str = "") -> str:
    prefix = f"{place}, " if place else ""
    return f"{prefix}ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def title(pdf: FPDF, text: str, subtitle: str = "") -> None:
    pdf.ln(6)
    pdf.set_font("Noto", "B", 15)
    pdf.multi_cell(0, 8, text, align="C", new_x="LMARGIN", new_y="NEXT")
    if subtitle:
        pdf.set_font("Noto", "", 11)
        pdf.multi_cell(0, 6, subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def paragraph(pdf: FPDF, text: str, size: float = 11.5, style: str = "") -> None:
    pdf.set_font("Noto", style, size)
    pdf.multi_cell(0, 6.5, text, new_x="LMARGIN", new_y="NEXT")


def row(pdf: FPDF, label: str, value: str, label_w: float = 55) -> None:
    pdf.set_font("Noto", "", 11.5)
    pdf.cell(label_w, 7, f"{label}:")
    pdf.set_font("Noto", "B", 11.5)
    pdf.multi_cell(0, 7, value or "", new_x="LMARGIN", new_y="NEXT")


def table(pdf: FPDF, headings: list[str], rows: list[list[str]], widths: list[float]) -> None:
    pdf.set_font("Noto", "", 10)
    with pdf.table(col_widths=widths, text_align=["LEFT"] + ["RIGHT"] * (len(widths) - 1),
                   line_height=6, headings_style=FontFace(emphasis="BOLD")) as t:
        head = t.row()
        for h in headings:
            head.cell(h)
        for values in rows:
            r = t.row()
            for v in values:
                r.cell(v)


def signatures(pdf: FPDF, columns: list[tuple[str, str, str]]) -> None:
    """Columns of (title, hint, name) with room to sign."""
    pdf.ln(4)
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / max(1, len(columns))
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    top = pdf.get_y()
    for column, (heading, hint, name) in enumerate(columns):
        x = pdf.l_margin + column * width
        pdf.set_xy(x, top)
        pdf.set_font("Noto", "B", 11)
        pdf.multi_cell(width, 6, heading, align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_font("Noto", "I", 10)
        pdf.cell(width, 5, hint, align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_y(pdf.get_y() + 22)
        pdf.set_x(x)
        pdf.set_font("Noto", "B", 11)
        pdf.cell(width, 6, name, align="C")


def output(pdf: FPDF) -> bytes:
    return bytes(pdf.output())


_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def _three(n: int, full: bool) -> str:
    hundreds, tens, ones = n // 100, n // 10 % 10, n % 10
    words = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if ones and (full or hundreds):
            words.append("lẻ")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if ones:
        if ones == 1 and tens > 1:
            words.append("mốt")
        elif ones == 5 and tens > 0:
            words.append("lăm")
        elif ones == 4 and tens > 1:
            words.append("tư")
        else:
            words.append(_DIGITS[ones])
    return " ".join(words)


def amount_in_words(amount: int) -> str:
    """12000 -> 'Mười hai nghìn đồng' (Vietnamese reading, for receipts)."""
    if amount == 0:
        return "Không đồng"
    groups = []
    n = amount
    while n:
        groups.append(n % 1000)
        n //= 1000
    units = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ"]
    words = []
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if value == 0:
            continue
        words.append(_three(value, full=index != len(groups) - 1))
        if units[index]:
            words.append(units[index])
    text = " ".join(words) + " đồng"
    return text[0].upper() + text[1:]
