"""A corpus of hostile, broken and awkward uploads, generated in memory (nothing is checked in).

    for f in corpus():                       # BadFile(kind, filename, data, expected)
        f.expected_for("scan")               # "accept" | "refuse" for that upload

`expected` is what the upload of original scans must do; `per_target` overrides it for the other
uploads ("id_scan": citizen-account ID scan, "id_prefill": the intake ID pre-fill form, "verify": the
public verification upload), where the allowed kinds and limits differ.
Sizes assume MAX_SCAN_MB=2 (set by the tests), the ID scan limit of 5 MB and MAX_SCAN_PAGES=1000.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from tests.support.hostile_files import (
    docm_as_docx,
    docx_activex,
    jpeg_exif,
    png_1bit_huge,
    png_a4_600dpi,
    with_zip_appended,
)

TARGETS = ("id_scan", "id_prefill", "scan", "verify")
SCAN_LIMIT_MB = 2  # the tests set MAX_SCAN_MB to this


@dataclass(frozen=True)
class BadFile:
    kind: str
    filename: str
    data: bytes
    expected: str  # for the original-scan upload
    per_target: dict = field(default_factory=dict)

    def expected_for(self, target: str) -> str:
        return self.per_target.get(target, self.expected)

    def __iter__(self) -> Iterator:  # unpacks as (kind, filename, bytes, expected)
        return iter((self.kind, self.filename, self.data, self.expected))


# --- builders ------------------------------------------------------------------------------------

def jpeg(mode: str = "RGB", size=(600, 800), quality: int = 80) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((50, 50, size[0] - 50, 150), fill=(200, 30, 30))
    draw.text((60, 200), "GIAY KHAI SINH", fill="black")
    if mode != "RGB":
        image = image.convert(mode)
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality, dpi=(150, 150))
    return buf.getvalue()


def png(mode: str = "RGB", size=(400, 500)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).rectangle((20, 20, 200, 120), fill=(30, 30, 200))
    if mode != "RGB":
        image = image.convert(mode)
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def png_16bit(size=(300, 400)) -> bytes:
    """A real 16-bit-per-sample greyscale PNG (Pillow mode I;16) with a gradient."""
    raw = b"".join(b"\x00" + b"".join(struct.pack(">H", (x * 200 + y * 50) % 65536) for x in range(size[0]))
                   for y in range(size[1]))
    return _png_chunks(size[0], size[1], bit_depth=16, colour_type=0, idat=zlib.compress(raw, 9))


def png_16bit_rgb(size=(200, 260)) -> bytes:
    row = b"".join(
        struct.pack(">HHH", x * 300 % 65536, 20000, 65535 - x * 300 % 65536) for x in range(size[0])
    )
    raw = b"".join(b"\x00" + row for _ in range(size[1]))
    return _png_chunks(size[0], size[1], bit_depth=16, colour_type=2, idat=zlib.compress(raw, 9))


def _chunk(tag: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF)


def _png_chunks(
    width: int, height: int, bit_depth: int = 8, colour_type: int = 0, idat: bytes = b""
) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def png_bomb(side: int = 12000) -> bytes:
    """side × side 1-byte grey pixels of zeros: ~140 MB decoded, ~140 KB on disk."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (side + 1)
    parts = [compressor.compress(row) for _ in range(side)]
    parts.append(compressor.flush())
    return _png_chunks(side, side, 8, 0, b"".join(parts))


def png_huge_header(side: int = 30000) -> bytes:
    """A PNG whose header claims side × side pixels, with a tiny (truncated) image stream."""
    return _png_chunks(side, side, 8, 2, zlib.compress(b"\x00" * 1000))


def png_bad_crc() -> bytes:
    data = bytearray(png())
    data[29] ^= 0xFF  # inside the IHDR CRC
    return bytes(data)


def pdf(pages: int = 1, text: str = "Trang") -> bytes:
    from fpdf import FPDF

    doc = FPDF(unit="mm", format="A4")
    doc.set_font("helvetica", size=14)
    for i in range(pages):
        doc.add_page()
        doc.text(20, 20, f"{text} {i + 1}")
    return bytes(doc.output())


def pdf_blank_pages(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def pdf_zero_pages() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def pdf_with(catalog_extra: dict | None = None, page_extra: dict | None = None) -> bytes:
    """A one-page PDF with extra entries in the catalog or on the page (actions, JavaScript…)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf(1))))
    for key, value in (catalog_extra or {}).items():
        writer._root_object[NameObject(key)] = value(writer) if callable(value) else value
    for key, value in (page_extra or {}).items():
        writer.pages[0][NameObject(key)] = value(writer) if callable(value) else value
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _js_action(script: str = "app.alert('x')"):
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    return DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                             NameObject("/JS"): TextStringObject(script)})


def pdf_javascript() -> bytes:
    """Document-level JavaScript in the catalog's /Names tree (runs when the file opens)."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    def names(writer):
        tree = DictionaryObject({NameObject("/Names"): ArrayObject(
            [TextStringObject("js"), writer._add_object(_js_action("app.alert('Xin chào');"))])})
        return DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})

    return pdf_with(catalog_extra={"/Names": names})


def pdf_open_action_js() -> bytes:
    return pdf_with(catalog_extra={"/OpenAction": lambda w: w._add_object(_js_action())})


def pdf_open_action_launch() -> bytes:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    action = DictionaryObject({NameObject("/S"): NameObject("/Launch"),
                               NameObject("/F"): TextStringObject("cmd.exe")})
    return pdf_with(catalog_extra={"/OpenAction": lambda w: w._add_object(action)})


def pdf_page_aa_js() -> bytes:
    from pypdf.generic import DictionaryObject, NameObject

    return pdf_with(
        page_extra={"/AA": lambda w: DictionaryObject({NameObject("/O"): w._add_object(_js_action())})}
    )


def pdf_open_action_fit() -> bytes:
    """A harmless OpenAction (open at page 1, fit to window), as some scanners write: accepted."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf(1))))
    writer._root_object[NameObject("/OpenAction")] = ArrayObject([writer.pages[0].indirect_reference,
                                                                  NameObject("/Fit")])
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def pdf_encrypted() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf(1))))
    writer.encrypt(user_password="", owner_password="chu-so-huu", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def pdf_truncated() -> bytes:
    data = pdf(3)
    return data[: len(data) // 3]


def pdf_broken_xref() -> bytes:
    data = pdf(1)
    start = data.rindex(b"startxref")
    return data[:start] + b"startxref\n99999999\n%%EOF\n"


def pdf_xref_garbage() -> bytes:
    """Every xref offset and every object header destroyed: nothing left to recover."""
    import re

    data = re.sub(rb"\d+ 0 obj", b"xx x xxx", pdf(1))
    return data.replace(b"xref", b"xxxx")


def pdf_pages_loop() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[2 0 R]/Count 1>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def docx_valid() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document><w:body>Thẻ căn cước</w:body></w:document>")
    return buf.getvalue()


def docx_bomb(megabytes: int = 300) -> bytes:
    """A .docx whose word/document.xml inflates to `megabytes` MB (from ~0.3 MB on disk)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as entry:
            block = b"\x20" * (1024 * 1024)
            for _ in range(megabytes):
                entry.write(block)
    return buf.getvalue()


def plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "not a word file")
    return buf.getvalue()


def gif_animated() -> bytes:
    from PIL import Image

    frames = [Image.new("P", (64, 64), i * 40) for i in range(4)]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buf.getvalue()


def tiff() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (200, 300), "white").save(buf, "TIFF")
    return buf.getvalue()


def webp() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (200, 300), "white").save(buf, "WEBP")
    return buf.getvalue()


def padded_jpeg(megabytes: float) -> bytes:
    """A valid JPEG made large by a trailing comment segment chain (decoders skip it)."""
    head = jpeg()
    target = int(megabytes * 1024 * 1024)
    segments = []
    size = len(head)
    while size < target:
        body = b"\x00" * 65533
        segments.append(b"\xff\xfe" + struct.pack(">H", len(body) + 2) + body)
        size += len(body) + 4
    return head[:2] + b"".join(segments) + head[2:]


EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"PE\x00\x00"
    + b"\x90" * 400
)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b'<script>alert(1)</script><rect width="10" height="10"/></svg>')
OLE2_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000


@lru_cache(maxsize=1)
def corpus() -> tuple[BadFile, ...]:
    ok_pdf = pdf(1)
    no_pdf = {"verify": "refuse"}  # images are not PDFs
    id_only = {"id_scan": "accept", "id_prefill": "accept"}
    files = [
        # controls: good files every upload of their kind must take
        BadFile("valid_pdf", "ban-chinh.pdf", ok_pdf, "accept", {"verify": "accept"}),
        BadFile("valid_jpeg", "anh-chup.jpg", jpeg(), "accept", no_pdf),
        BadFile("valid_docx", "the-can-cuoc.docx", docx_valid(), "refuse", id_only),
        BadFile("pdf_open_action_fit", "may-quet.pdf", pdf_open_action_fit(), "accept", {"verify": "accept"}),
        # awkward but legitimate pictures: must be accepted, then render into the copy
        BadFile("cmyk_jpeg", "cmyk.jpg", jpeg("CMYK"), "accept", no_pdf),
        BadFile("png_16bit", "16bit.png", png_16bit(), "accept", no_pdf),
        BadFile("png_16bit_rgb", "16bit-rgb.png", png_16bit_rgb(), "accept", no_pdf),
        BadFile("greyscale_jpeg", "xam.jpg", jpeg("L"), "accept", no_pdf),
        BadFile("palette_png", "bang-mau.png", png("P"), "accept", no_pdf),
        BadFile("rgba_png", "trong-suot.png", png("RGBA"), "accept", no_pdf),
        # refused everywhere
        BadFile("empty", "rong.pdf", b"", "refuse"),
        BadFile("zero_bytes_1k", "toan-so-0.png", b"\x00" * 1024, "refuse"),
        BadFile("pdf_truncated", "cat-cut.pdf", pdf_truncated(), "refuse"),
        # a wrong startxref is common in scanner output and repairable: accepted, and must then render
        BadFile("pdf_broken_xref", "xref-hong.pdf", pdf_broken_xref(), "accept", {"verify": "accept"}),
        BadFile("pdf_xref_garbage", "xref-rac.pdf", pdf_xref_garbage(), "refuse"),
        BadFile("pdf_header_only", "chi-dau.pdf", b"%PDF-1.7\n%%EOF\n", "refuse"),
        BadFile("pdf_zero_pages", "khong-trang.pdf", pdf_zero_pages(), "refuse"),
        BadFile("pdf_pages_loop", "vong-lap.pdf", pdf_pages_loop(), "refuse"),
        BadFile("pdf_encrypted", "mat-khau.pdf", pdf_encrypted(), "refuse"),
        BadFile("pdf_javascript", "javascript.pdf", pdf_javascript(), "refuse"),
        BadFile("pdf_open_action_js", "open-action.pdf", pdf_open_action_js(), "refuse"),
        BadFile("pdf_open_action_launch", "launch.pdf", pdf_open_action_launch(), "refuse"),
        BadFile("pdf_page_aa_js", "page-aa.pdf", pdf_page_aa_js(), "refuse"),
        BadFile("garbage_before_pdf", "rac-truoc.pdf", b"GARBAGE\x00\x01" * 10 + ok_pdf, "refuse"),
        BadFile("png_bomb", "bom.png", png_bomb(), "refuse"),
        BadFile("png_30000x30000", "khong-lo.png", png_huge_header(), "refuse"),
        BadFile("png_bad_crc", "crc-hong.png", png_bad_crc(), "refuse"),
        BadFile("jpeg_truncated", "anh-cut.jpg", jpeg()[:3000], "refuse"),
        BadFile("jpeg_as_pdf", "anh.pdf", jpeg(), "refuse"),
        BadFile("pdf_as_jpg", "tai-lieu.jpg", ok_pdf, "refuse"),
        BadFile("html_as_pdf", "trang.pdf", HTML, "refuse"),
        BadFile("html_as_png", "trang.png", HTML, "refuse"),
        BadFile("exe_as_pdf", "chuong-trinh.pdf", EXE, "refuse"),
        BadFile("exe_as_png", "chuong-trinh.png", EXE, "refuse"),
        BadFile("svg_script", "hinh.svg", SVG, "refuse"),
        BadFile("svg_as_png", "hinh.png", SVG, "refuse"),
        BadFile("gif_animated", "dong.gif", gif_animated(), "refuse"),
        BadFile("gif_as_png", "dong.png", gif_animated(), "refuse"),
        BadFile("tiff", "quet.tiff", tiff(), "refuse"),
        BadFile("webp_as_png", "anh.png", webp(), "refuse"),
        BadFile("jpeg_6mb", "qua-lon.jpg", padded_jpeg(6), "refuse"),
        BadFile("scan_over_limit", "vuot-gioi-han.jpg", padded_jpeg(SCAN_LIMIT_MB + 1), "refuse", id_only),
        BadFile("pdf_1001_pages", "nghin-le-mot-trang.pdf", pdf_blank_pages(1001), "refuse"),
        # a thick original (MAX_SCAN_PAGES defaults to 1,000): the scan and the verification take it
        BadFile("pdf_300_pages", "ba-tram-trang.pdf", pdf_blank_pages(300), "accept",
                {"id_scan": "refuse", "id_prefill": "refuse", "verify": "accept"}),
        # a real A4 scan at 600 dpi fits the pixel limit; an 8,900² PNG of 21 KB does not
        BadFile("png_a4_600dpi", "a4-600dpi.png", png_a4_600dpi(), "accept", no_pdf),
        BadFile("png_8900_1bit", "8900x8900.png", png_1bit_huge(), "refuse"),
        # a tablet photo lying sideways with EXIF orientation 6: accepted (and turned upright)
        BadFile("jpeg_exif_6", "may-tinh-bang.jpg", jpeg_exif(6), "accept", no_pdf),
        # macro-enabled Office packages and polyglots
        BadFile("docm_as_docx", "the-can-cuoc.docx", docm_as_docx(), "refuse"),
        BadFile("docx_activex", "activex.docx", docx_activex(), "refuse"),
        BadFile("pdf_zip_polyglot", "da-dinh-dang.pdf", with_zip_appended(ok_pdf), "refuse"),
        BadFile("jpeg_zip_polyglot", "da-dinh-dang.jpg", with_zip_appended(jpeg()), "refuse"),
        BadFile("png_pdf_polyglot", "da-dinh-dang.png", png()[:33] + _chunk(b"tEXt", b"c\x00%PDF-1.7 1 0 obj")
                + png()[33:], "refuse"),
        BadFile("pdf_5_pages", "nam-trang.pdf", pdf(5), "accept",
                {"id_scan": "refuse", "id_prefill": "refuse", "verify": "accept"}),  # ID scan: ≤ 4 pages
        BadFile("docx_zip_bomb", "bom.docx", docx_bomb(), "refuse"),
        BadFile("zip_not_docx", "nen.docx", plain_zip(), "refuse"),
        BadFile("old_doc", "the.doc", OLE2_DOC, "refuse", {"id_scan": "accept"}),
        BadFile("name_dotdot", "../../../etc/passwd.png", png(), "refuse"),
        BadFile("name_backslash", "..\\..\\windows\\anh.png", png(), "refuse"),
        BadFile("name_control_chars", "anh\x00\r\n\x1b[31m.png", png(), "refuse"),
        BadFile("name_300_chars", "a" * 296 + ".png", png(), "refuse"),
    ]
    return tuple(files)
