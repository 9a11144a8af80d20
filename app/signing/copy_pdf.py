"""Build the unsigned copy: scan pages, then a statement page with two empty signature fields."""
from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

import pikepdf
from fpdf import FPDF
from PIL import Image, ImageOps
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer
from pyhanko.sign.fields import FieldMDPAction, FieldMDPSpec, MDPPerm, SigFieldSpec, append_signature_field

from app import files
from domain.signing.statement import DEFAULT_STATEMENT_TEMPLATE, LEADER_FIELD, OFFICE_FIELD, split_statement

FONT_DIR = "/usr/share/fonts/truetype/noto"
A4_MM = (210.0, 297.0)
MARGIN_MM = 15.0
PT_PER_MM = 72 / 25.4
# Field boxes on the statement page, in mm from the top-left corner: (left, top, right, bottom).
OFFICE_BOX_MM = (20.0, 160.0, 190.0, 200.0)
LEADER_BOX_MM = (100.0, 222.0, 190.0, 262.0)
_ROTATIONS = (0, 90, 180, 270)
ROTATE_KEY = pikepdf.Name("/Rotate")
SOURCE_KEY = pikepdf.Name("/ChungThucScanPage")  # a private page key: which stored scan page this is


@dataclass(frozen=True)
class ScanInput:
    """One uploaded scan: a JPEG/PNG image (one page) or a PDF (its pages copied as they are).

    ``rotation`` (clockwise degrees) applies to every page of the scan; ``page_rotations`` gives
    one value per page of a PDF scan instead. ``dpi`` overrides the resolution stored in the image.
    """

    data: bytes = b""
    rotation: int = 0
    dpi: float | None = None
    page_rotations: tuple[int, ...] = ()
    source: str = ""  # the stored page this scan comes from, marked on its page (domain.scan_order)
    page_index: int | None = None  # a PDF scan: only this page of it (None: every page)
    path: str = ""  # the stored file, read where the copy is built, instead of `data`


@dataclass(frozen=True)
class StatementInput:
    requester_name: str
    document_title: str
    issuer: str
    original_pages: int | None = None  # pages of the original; defaults to the scanned pages
    office_name: str = ""
    template: str = DEFAULT_STATEMENT_TEMPLATE


def build_copy_pdf(scans: list[ScanInput], statement: StatementInput) -> bytes:
    buf = BytesIO()
    write_copy(scans, statement, buf)
    return buf.getvalue()


def write_copy(scans: list[ScanInput], statement: StatementInput, target: str | BinaryIO) -> None:
    """The unsigned copy written to `target` (a path or a stream). qpdf copies a stored PDF's pages by
    reference and their streams from the stored file as it writes: one reader per distinct file, so
    pages cut from the same original share its fonts and images once, and memory does not grow with
    the pages (pypdf held every page's streams, ~1.2 GB at 1,000 scanned pages)."""
    if not scans:
        raise ValueError("a copy needs at least one scan")
    for scan in scans:
        _check_rotation(scan.rotation, *scan.page_rotations)
    with ExitStack() as opened:
        sources: dict[str | bytes, pikepdf.Pdf] = {}
        pdf_scans = {i: _scan_pages(sources, s, opened) for i, s in enumerate(scans) if is_pdf(s)}
        doc = _new_fpdf()
        for i, scan in enumerate(scans):
            if i not in pdf_scans:
                _add_image_page(doc, scan)
        scan_pages = sum(len(pages) for pages in pdf_scans.values()) + len(scans) - len(pdf_scans)
        _add_statement_page(doc, statement, scan_pages)
        # the fields go on the small rendered part (pyHanko), then come along with the statement page
        drawn = opened.enter_context(pikepdf.open(BytesIO(
            _with_signature_fields(bytes(doc.output()), last_page=len(scans) - len(pdf_scans)))))
        rendered = iter(drawn.pages)
        out = opened.enter_context(pikepdf.new())
        for i, scan in enumerate(scans):
            pages = pdf_scans[i] if i in pdf_scans else [next(rendered)]
            for n, page in enumerate(pages):
                angle = scan.page_rotations[n] if n < len(scan.page_rotations) else scan.rotation
                out.pages.append(page)  # a page used twice is copied (its resources shared)
                added = out.pages[-1].obj
                if scan.source:
                    added[SOURCE_KEY] = pikepdf.String(scan.source if n == 0 else f"{scan.source}#{n}")
                if angle:
                    added[ROTATE_KEY] = (int(added.get(ROTATE_KEY, 0)) + angle) % 360
        out.pages.append(next(rendered))
        out.Root.AcroForm = out.copy_foreign(drawn.Root.AcroForm)  # its fields: the page's widgets
        # streams pass through as stored (no decoding and recompressing of a scan's pictures)
        out.save(target, min_version="1.7", stream_decode_level=pikepdf.StreamDecodeLevel.none,
                 object_stream_mode=pikepdf.ObjectStreamMode.disable)


def _scan_pages(sources: dict, scan: ScanInput, opened: ExitStack) -> list:
    key = scan.path or scan.data
    doc = sources.get(key)
    if doc is None:
        doc = sources[key] = opened.enter_context(_read(scan.path or BytesIO(scan.data)))
    return list(doc.pages) if scan.page_index is None else [doc.pages[scan.page_index]]


def image_page_pdf(data: bytes, dpi: float | None = None) -> bytes:
    """A one-page PDF with a picture laid out exactly as on a copy (app.signing.copy_check compares)."""
    doc = _new_fpdf()
    _add_image_page(doc, ScanInput(data=data, dpi=dpi))
    return bytes(doc.output())


def page_sources(pdf: bytes | str) -> list[str]:
    """The source mark of every page of a copy (its bytes or its path), in page order ('' where a page
    has none)."""
    with _read(BytesIO(pdf) if isinstance(pdf, bytes) else pdf) as doc:
        return [str(page.obj.get(SOURCE_KEY, "")) for page in doc.pages]


def _read(source: str | BinaryIO) -> pikepdf.Pdf:
    """Read as needed (not mapped: a mapped 70 MB original would count whole in the process's memory)."""
    return pikepdf.open(source, access_mode=pikepdf.AccessMode.stream)


def scan_bytes(scan: ScanInput) -> bytes:
    """A scan's bytes: given, or read from its stored file."""
    return scan.data if scan.data else Path(scan.path).read_bytes()


def is_pdf(scan: ScanInput) -> bool:
    if scan.data:
        return scan.data[:5] == b"%PDF-"
    with open(scan.path, "rb") as fh:
        return fh.read(5) == b"%PDF-"


def _new_fpdf() -> FPDF:
    doc = FPDF(unit="mm", format="A4")
    doc.set_auto_page_break(False)
    doc.set_compression(True)
    doc.add_font("NotoSans", "", f"{FONT_DIR}/NotoSans-Regular.ttf")
    doc.add_font("NotoSans", "B", f"{FONT_DIR}/NotoSans-Bold.ttf")
    doc.set_creator("Chứng thực bản sao điện tử")
    return doc


def _add_image_page(doc: FPDF, scan: ScanInput) -> None:
    data = scan_bytes(scan)
    source = BytesIO(data)
    with Image.open(BytesIO(data)) as img:
        dpi = scan.dpi or _image_dpi(img)
        if img.getexif().get(0x0112, 1) not in (1, None):
            # stored before uploads applied EXIF orientation: draw the picture upright, as its viewer shows it
            img = ImageOps.exif_transpose(img)
            source = img.convert("RGB") if img.mode not in ("RGB", "L") else img.copy()
        width_px, height_px = img.size
    landscape = width_px > height_px
    doc.add_page(orientation="L" if landscape else "P")
    page_w, page_h = (A4_MM[1], A4_MM[0]) if landscape else A4_MM
    avail_w, avail_h = page_w - 2 * MARGIN_MM, page_h - 2 * MARGIN_MM
    if dpi:
        w, h = width_px / dpi * 25.4, height_px / dpi * 25.4
    else:
        w, h = avail_w, avail_w * height_px / width_px
    scale = min(1.0, avail_w / w, avail_h / h)  # true size, shrunk only when too large
    w, h = w * scale, h * scale
    doc.image(source, x=(page_w - w) / 2, y=(page_h - h) / 2, w=w, h=h)


def _image_dpi(img: Image.Image) -> float | None:
    dpi = img.info.get("dpi")
    if dpi and float(dpi[0]) >= 50:
        return float(dpi[0])
    return None


def _add_statement_page(doc: FPDF, st: StatementInput, scan_pages: int) -> None:
    parts = split_statement(st.template)
    doc.add_page(orientation="P")
    left, width = 20.0, 170.0
    doc.set_xy(left, 20)
    if st.office_name:
        doc.set_font("NotoSans", "B", 12)
        doc.multi_cell(width, 7, st.office_name, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("NotoSans", "B", 16)
    doc.set_x(left)
    doc.multi_cell(width, 10, "LỜI CHỨNG", align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(4)
    doc.set_font("NotoSans", "", 12)
    for line in parts.before:
        doc.set_x(left)
        doc.multi_cell(width, 7, line, new_x="LMARGIN", new_y="NEXT")
    doc.ln(4)
    original_pages = st.original_pages or scan_pages
    details = [
        ("Người yêu cầu chứng thực", st.requester_name),
        ("Giấy tờ được chứng thực", st.document_title),
        ("Cơ quan, tổ chức cấp", st.issuer),
        ("Số trang bản chính", str(original_pages)),
        ("Số trang bản sao", f"{scan_pages + 1} (gồm cả trang lời chứng này)"),
    ]
    for label, value in details:
        doc.set_x(left)
        doc.set_font("NotoSans", "", 11)
        doc.multi_cell(width, 6.5, f"**{label}:** {value}", markdown=True, new_x="LMARGIN", new_y="NEXT")
    _caption(doc, OFFICE_BOX_MM, ["Số chứng thực, ngày chứng thực và chữ ký số của cơ quan"])
    _caption(doc, LEADER_BOX_MM, list(parts.signer_caption) or ["Người thực hiện chứng thực"])


def _caption(doc: FPDF, box: tuple[float, float, float, float], lines: list[str]) -> None:
    x1, top, x2, _ = box
    doc.set_font("NotoSans", "B", 10)
    y = top - 6 * len(lines) - 1
    for i, line in enumerate(lines):
        doc.set_font("NotoSans", "B" if i == 0 else "", 10)
        doc.set_xy(x1, y + 6 * i)
        doc.cell(x2 - x1, 6, line, align="C")


def _with_signature_fields(pdf: bytes, last_page: int) -> bytes:
    writer = copy_into_new_writer(PdfFileReader(BytesIO(pdf)))
    # The office signature locks every field and, once sealed, the document (/P 1): after it only
    # DSS updates and document time-stamps may follow.
    office_lock = {
        "field_mdp_spec": FieldMDPSpec(FieldMDPAction.ALL),
        "doc_mdp_update_value": MDPPerm.NO_CHANGES,
    }
    for name, box, lock in ((OFFICE_FIELD, OFFICE_BOX_MM, office_lock), (LEADER_FIELD, LEADER_BOX_MM, {})):
        append_signature_field(writer, SigFieldSpec(name, on_page=last_page, box=_pdf_box(box), **lock))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_box(box_mm: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    left, top, right, bottom = box_mm
    page_h = A4_MM[1] * PT_PER_MM
    return (round(left * PT_PER_MM), round(page_h - bottom * PT_PER_MM),
            round(right * PT_PER_MM), round(page_h - top * PT_PER_MM))


def _check_rotation(*angles: int) -> None:
    for angle in angles:
        if angle not in _ROTATIONS:
            raise ValueError(f"rotation must be one of {_ROTATIONS}, not {angle}")


def write_stored_copy(scans: list[ScanInput], statement: StatementInput, target: str) -> None:
    """In the signing process: the stored files read from their paths are still whole (their hash),
    then the copy is written to `target` (only paths cross between the processes)."""
    for path in {scan.path for scan in scans if scan.path}:
        files.check_stored(path)
    write_copy(scans, statement, target)
