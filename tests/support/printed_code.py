"""Where the verification code is printed on a copy's last page, read back as a person would see it."""
from __future__ import annotations

import ctypes
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp

SCALE = 200 / 72  # render at 200 dpi
CAPTION = re.compile(r"Mã tra cứu: (\S+)")


@dataclass(frozen=True)
class PrintedCode:
    code: str
    qr_url: str
    qr_box: tuple[float, float, float, float]  # left, bottom, right, top in PDF points
    text_box: tuple[float, float, float, float]  # the caption line, same units


def read_printed_code(pdf: bytes, save_as: Path | None = None) -> PrintedCode:
    """The QR (decoded from the rendered page) and the caption line with its position."""
    doc = pdfium.PdfDocument(pdf)
    try:
        doc.init_forms()
        last = len(doc) - 1
        page = doc[last]
        page_h = page.get_height()
        image = page.render(scale=SCALE, may_draw_forms=True).to_pil()
        if save_as is not None:  # for a person to look at
            save_as.parent.mkdir(parents=True, exist_ok=True)
            image.save(save_as)
        [barcode] = zxingcpp.read_barcodes(image)
        corners = [barcode.position.top_left, barcode.position.top_right, barcode.position.bottom_left,
                   barcode.position.bottom_right]
        xs, ys = [c.x / SCALE for c in corners], [page_h - c.y / SCALE for c in corners]
        page.flatten()  # the signature appearances become page content, so their text can be read
        buf = io.BytesIO()
        doc.save(buf)  # reloaded: pdfium places the flattened text on the page only then
    finally:
        doc.close()
    flat = pdfium.PdfDocument(buf.getvalue())
    try:
        flat_page = flat[last]
        textpage = flat_page.get_textpage()
        text = textpage.get_text_range()
        match = CAPTION.search(text)
        assert match, text
        start, end = match.span()
        nested = {_address(obj): obj for obj in flat_page.get_objects(max_depth=8)}
        boxes = [_on_page(textpage, i, nested) for i in range(start, end) if not text[i].isspace()]
    finally:
        flat.close()
    text_box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                max(b[3] for b in boxes))
    return PrintedCode(match.group(1), barcode.text, (min(xs), min(ys), max(xs), max(ys)), text_box)


def _address(obj) -> int:
    return ctypes.cast(obj.raw, ctypes.c_void_p).value


def _on_page(textpage, index: int, nested: dict) -> tuple[float, float, float, float]:
    """A character's box in page coordinates: pdfium gives it in the coordinates of the form
    (signature appearance) holding it, so the forms' matrices are applied from the inside out."""
    left, bottom, right, top = textpage.get_charbox(index)
    form = nested[_address(textpage.get_textobj(index))].container
    while form is not None:
        matrix = form.get_matrix()
        left, bottom = matrix.on_point(left, bottom)
        right, top = matrix.on_point(right, top)
        form = form.container
    return left, bottom, right, top


def caption_is_under_the_qr(printed: PrintedCode) -> bool:
    """Below the QR without touching it, and centred on it (within 2 pt)."""
    ql, qb, qr, _ = printed.qr_box
    tl, _, tr, tt = printed.text_box
    return tt < qb and abs((ql + qr) / 2 - (tl + tr) / 2) <= 2
