"""Real-world PDF quirks, made in memory by more than one producer (fpdf2, pikepdf/qpdf, Ghostscript):
nothing is checked in.

    for case in corpus():          # PdfCase(name, data, texts): texts a viewer shows on page 1
        ...
"""
from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

NOTO = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"
FORM_VALUE = "Nguyen Van An"  # qpdf draws field values in a standard 8-bit font


@dataclass(frozen=True)
class PdfCase:
    name: str
    data: bytes
    texts: tuple[str, ...] = ()  # what a viewer shows and the copy must show too (page 1)


def _fpdf(**kwargs):
    from fpdf import FPDF

    doc = FPDF(unit="pt", **kwargs)
    doc.set_auto_page_break(False)
    doc.add_font("Noto", "", NOTO)
    doc.set_font("Noto", size=14)
    return doc


def fpdf_direct_annotations() -> bytes:
    """fpdf2 writes page annotations as direct objects in /Annots (a sticky note here)."""
    doc = _fpdf(format="A4")
    doc.add_page()
    doc.text(60, 100, "Giấy xác nhận có ghi chú")
    doc.text_annotation(60, 140, "Ghi chú của người ký", w=20, h=20)
    return bytes(doc.output())


def fpdf_link(links: int = 1) -> bytes:
    """A letter with web links (URI actions), written by fpdf2 as direct-object link annotations."""
    doc = _fpdf(format="A4")
    doc.add_page()
    doc.text(60, 80, "Thư mời họp")
    for i in range(links):
        doc.set_xy(60, 110 + 20 * i)
        doc.cell(300, 16, f"Xem tại https://example.org/tai-lieu/{i}", link=f"https://example.org/tai-lieu/{i}")
    return bytes(doc.output())


def fpdf_text(pages: int, *, fmt="A4", lines: int = 40, letterhead: bool = False) -> bytes:
    """Text pages sharing one embedded TrueType font (a thesis); ``letterhead``: one photo-like JPEG
    (~1.3 MB) drawn on every page, stored once."""
    doc = _fpdf(format=fmt)
    doc.set_font("Noto", size=10)
    logo = _noise_jpeg() if letterhead else None
    for p in range(pages):
        doc.add_page()
        if logo is not None:
            doc.image(logo, x=400, y=10, w=150)
        for i in range(lines):
            doc.text(50, 60 + 18 * i, f"Trang {p + 1}, dòng {i + 1}: Cộng hòa xã hội chủ nghĩa Việt Nam — "
                                      "Độc lập, Tự do, Hạnh phúc")
    return bytes(doc.output())


def _noise_jpeg() -> io.BytesIO:
    import numpy as np
    from PIL import Image

    pixels = np.random.default_rng(27).integers(0, 256, (1000, 1300, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=85)
    out.seek(0)
    return out


def fpdf_odd_size() -> bytes:
    doc = _fpdf(format=(300, 520))  # a receipt-like strip
    doc.add_page()
    doc.text(20, 60, "Biên lai thu tiền")
    return bytes(doc.output())


def _pikepdf_page(pdf, width: float, height: float, text: str):
    """A page with one line of text in a standard font (pikepdf writes objects indirect)."""
    import pikepdf

    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    content = pdf.make_stream(f"BT /F1 18 Tf 50 {height - 80} Td ({text}) Tj ET".encode())
    page = pikepdf.Page(pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, width, height],
                                           Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
                                           Contents=content))
    pdf.pages.append(page)
    return pdf.pages[-1], font


def pikepdf_form(*, stale_appearance: bool, need_appearances: bool = True) -> bytes:
    """A filled text field that viewers draw from its value (NeedAppearances), as LibreOffice and many
    form tools leave it: either no appearance at all, or an empty one written before the value."""
    import pikepdf

    pdf = pikepdf.new()
    page, font = _pikepdf_page(pdf, 595, 842, "Don de nghi")
    field = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Tx,
                               T=pikepdf.String("hoten"), V=pikepdf.String(FORM_VALUE), F=4,
                               Rect=[100, 600, 400, 630], DA=pikepdf.String("/Helv 14 Tf 0 g"),
                               P=page.obj)
    if stale_appearance:
        empty = pdf.make_stream(b"/Tx BMC EMC", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                                BBox=[0, 0, 300, 30])
        field.AP = pikepdf.Dictionary(N=empty)
    field = pdf.make_indirect(field)
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([field]))
    pdf.Root.AcroForm = pdf.make_indirect(pikepdf.Dictionary(
        Fields=pikepdf.Array([field]), NeedAppearances=need_appearances,
        DA=pikepdf.String("/Helv 0 Tf 0 g"), DR=pikepdf.Dictionary(Font=pikepdf.Dictionary(Helv=font))))
    return _save(pdf)


def pikepdf_stamp_annotation() -> bytes:
    """A visible markup annotation with its own appearance (a red "ĐÃ DUYỆT"-like box a reviewer added)."""
    import pikepdf

    pdf = pikepdf.new()
    page, _ = _pikepdf_page(pdf, 595, 842, "Van ban co dau duyet")
    box = pdf.make_stream(b"1 0 0 RG 4 w 2 2 196 56 re S 1 0 0 rg 20 20 160 8 re f",
                          Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 200, 60])
    stamp = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Square, F=4,
                                                 Rect=[300, 500, 500, 560], AP=pikepdf.Dictionary(N=box)))
    page.obj.Annots = pikepdf.Array([stamp])
    return _save(pdf)


def ghostscript_postscript() -> bytes | None:
    """A document Ghostscript writes from PostScript itself (A5 landscape)."""
    if not shutil.which("gs"):
        return None
    program = (b"%!PS\n<< /PageSize [595 420] >> setpagedevice\n/Times-Roman findfont 24 scalefont setfont\n"
               b"60 300 moveto (Giay bien nhan - A5) show 60 260 moveto 400 0 rlineto stroke showpage\n")
    out = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
                          "-sOutputFile=-", "-"], input=program, capture_output=True, check=True, timeout=60)
    return out.stdout


def pikepdf_rotated() -> bytes:
    """Pages with /Rotate (a landscape table stored as a rotated portrait page) and an odd size."""
    pdf = __import__("pikepdf").new()
    page, _ = _pikepdf_page(pdf, 595, 842, "Bang diem - trang xoay 90")
    page.obj.Rotate = 90
    page, _ = _pikepdf_page(pdf, 842, 1191, "A3 - trang xoay 270")
    page.obj.Rotate = 270
    return _save(pdf)


def _save(pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    pdf.close()
    return out.getvalue()


def ghostscript(data: bytes) -> bytes | None:
    """The same document rewritten by Ghostscript's pdfwrite (another producer: its own fonts, object
    streams); None when gs is not installed."""
    if not shutil.which("gs"):
        return None
    out = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
                          "-sOutputFile=-", "-"], input=data, capture_output=True, check=True, timeout=60)
    return out.stdout


@lru_cache(maxsize=1)
def corpus() -> tuple[PdfCase, ...]:
    cases = [
        PdfCase("fpdf2-direct-annotations", fpdf_direct_annotations(), ("Giấy xác nhận có ghi chú",)),
        PdfCase("fpdf2-links", fpdf_link(3), ("Thư mời họp", "https://example.org/tai-lieu/2")),
        PdfCase("fpdf2-odd-size", fpdf_odd_size(), ("Biên lai thu tiền",)),
        PdfCase("fpdf2-shared-font-12-pages", fpdf_text(12), ("Trang 1, dòng 1",)),
        PdfCase("pikepdf-form-need-appearances", pikepdf_form(stale_appearance=True), (FORM_VALUE,)),
        PdfCase("pikepdf-widget-without-appearance", pikepdf_form(stale_appearance=False), (FORM_VALUE,)),
        PdfCase("pikepdf-widget-no-appearance-no-request",
                pikepdf_form(stale_appearance=False, need_appearances=False), (FORM_VALUE,)),
        PdfCase("pikepdf-stamp-annotation", pikepdf_stamp_annotation(), ("Van ban",)),
        PdfCase("pikepdf-rotated-pages", pikepdf_rotated(), ("Bang diem",)),
    ]
    postscript = ghostscript_postscript()
    if postscript is not None:
        cases.append(PdfCase("ghostscript-postscript-a5", postscript, ("Giay bien nhan",)))
    gs = ghostscript(fpdf_link(1))
    if gs is not None:
        cases.append(PdfCase("ghostscript-link-letter", gs, ("Thư mời họp",)))
        cases.append(PdfCase("ghostscript-form", ghostscript(pikepdf_form(stale_appearance=False)), ()))
    return tuple(cases)
