"""Newer entries of the bad-input corpus (tests/support/bad_files.py): macro-enabled and ActiveX Office
packages, polyglots, pixel-limit pictures and EXIF-oriented photos, generated in memory."""
from __future__ import annotations

import io
import zipfile
import zlib


def docm_as_docx() -> bytes:
    """A macro-enabled Word package (.docm: vbaProject.bin, macroEnabled content type) renamed .docx."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.ms-word.document.macroEnabled.main+xml"/><Default Extension="bin" ContentType="application/'
            'vnd.ms-office.vbaProject"/></Types>',
        )
        z.writestr("word/document.xml", "<w:document><w:body>Thẻ căn cước</w:body></w:document>")
        z.writestr(
            "word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name AutoOpen" * 20
        )
    return buf.getvalue()


def docx_with_one_macro_marker(part: str | None = None, content_type: str | None = None) -> bytes:
    """A Word package carrying ONE macro marker: a part (e.g. word/vbaProject.bin) with plain content types,
    or a content type (e.g. the macroEnabled main document) with no macro part: either alone refuses it."""
    types = "<Types>" + (f'<Override PartName="/word/document.xml" ContentType="{content_type}"/>'
                         if content_type else "") + "</Types>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("word/document.xml", "<w:document><w:body>Thẻ căn cước</w:body></w:document>")
        if part:
            z.writestr(part, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name AutoOpen" * 20)
    return buf.getvalue()


def docx_activex() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document><w:body>Thẻ căn cước</w:body></w:document>")
        z.writestr(
            "word/activeX/activeX1.xml", "<ax:ocx ax:classid='{8BD21D40-EC42-11CE-9E0D-00AA006002F3}'/>"
        )
        z.writestr("word/activeX/activeX1.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    return buf.getvalue()


def with_zip_appended(data: bytes) -> bytes:
    """A polyglot: the file as it is, then a ZIP archive (readable by both a viewer and an unzipper)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("payload/run.bat", "echo hidden")
    return data + buf.getvalue()


def png_1bit_huge(side: int = 8900) -> bytes:
    """side × side black-and-white pixels of zeros: ~10 KB on disk, 79 MP (~380 MB per RGB preview)."""
    from tests.support.bad_files import _png_chunks

    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    return _png_chunks(side, side, bit_depth=1, colour_type=0, idat=zlib.compress(row * side, 9))


def png_a4_600dpi() -> bytes:
    """A real-size scan: A4 at 600 dpi (4,961 × 7,016 = 34.8 MP) 8-bit grey, white with dark text bars."""
    from tests.support.bad_files import _png_chunks

    width, height = 4961, 7016
    white = b"\x00" + b"\xff" * width
    text = b"\x00" + (b"\xff" * 400 + b"\x20" * 3000 + b"\xff" * (width - 3400))
    raw = b"".join(text if 600 <= y % 900 < 700 else white for y in range(height))
    return _png_chunks(width, height, bit_depth=8, colour_type=0, idat=zlib.compress(raw, 6))


def jpeg_exif(orientation: int, size=(300, 400)) -> bytes:
    """A photo stored as the sensor saw it, with the EXIF orientation that makes it upright: shown
    upright, it is light grey with a black square in its top-left corner."""
    from PIL import Image, ImageDraw

    upright = Image.new("RGB", size, (200, 200, 200))
    ImageDraw.Draw(upright).rectangle((0, 0, size[0] // 4, size[0] // 4), fill="black")
    inverse = {1: None, 2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
               4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_90,
               7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_270}[orientation]
    stored = upright.transpose(inverse) if inverse is not None else upright
    exif = Image.Exif()
    exif[0x0112] = orientation
    buf = io.BytesIO()
    stored.save(buf, "JPEG", quality=90, dpi=(72, 72), exif=exif.tobytes())
    return buf.getvalue()
