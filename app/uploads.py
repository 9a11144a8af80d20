"""Checks for uploaded files, shared by every upload: size, real content type from the magic bytes
(the file name's extension must agree), empty files, encrypted or broken PDFs, page count.

    kind = check_upload(data, name, {"pdf", "jpeg", "png"}, 5 * 1024 * 1024)   # or UploadRejected
"""
from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

KIND_LABELS = {"pdf": "PDF", "jpeg": "ảnh JPEG", "png": "ảnh PNG", "docx": "Word (.docx)", "doc": "Word (.doc)"}
MIME = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "doc": "application/msword"}
EXTENSIONS = {".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg", ".jpe": "jpeg", ".png": "png",
              ".docx": "docx", ".doc": "doc"}
DEFAULT_MAX_PAGES = 200

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UploadRejected(ValueError):
    def __init__(self, message_vi: str):
        super().__init__(message_vi)
        self.message_vi = message_vi


def sniff(data: bytes) -> str | None:
    """The real content type from the magic bytes: pdf | jpeg | png | docx | doc | None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(_OLE2):
        return "doc"
    if data.startswith(b"PK\x03\x04"):
        return "docx"  # confirmed by _check_docx (a zip holding word/document.xml)
    return None


def accept_attribute(allowed: set[str]) -> str:
    """For <input accept=…>: '.pdf,.jpg,.jpeg,…' for the allowed kinds."""
    return ",".join(ext for ext, kind in EXTENSIONS.items() if kind in allowed)


def allowed_text(allowed: set[str]) -> str:
    return ", ".join(KIND_LABELS[k] for k in KIND_LABELS if k in allowed)


def size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",") + " MB"


def check_size(size: int, filename: str, max_bytes: int) -> None:
    """Check a size before reading the body (NiceGUI's FileUpload.size())."""
    if size == 0:
        raise UploadRejected(f"Tệp «{_short(filename)}» rỗng (0 byte). Vui lòng chọn lại tệp.")
    if size > max_bytes:
        raise UploadRejected(f"Tệp «{_short(filename)}» có dung lượng {size_text(size)}, vượt quá giới hạn "
                             f"{max_bytes // (1024 * 1024)} MB. Hãy quét/chụp lại với độ phân giải thấp hơn.")


def check_upload(data: bytes, filename: str, allowed: set[str], max_bytes: int,
                 max_pages: int = DEFAULT_MAX_PAGES) -> str:
    """Return the kind of an acceptable file, or raise UploadRejected with a Vietnamese message."""
    name = _short(filename)
    check_size(len(data), filename, max_bytes)
    kind = sniff(data)
    if kind is None or kind not in allowed:
        found = f" (nội dung là {KIND_LABELS[kind]})" if kind else ""
        raise UploadRejected(f"Tệp «{name}» không đúng loại được nhận{found}. Chỉ nhận: {allowed_text(allowed)}.")
    claimed = EXTENSIONS.get(PurePath(filename or "").suffix.lower())
    if claimed is not None and claimed != kind:
        raise UploadRejected(f"Tệp «{name}» có đuôi {PurePath(filename).suffix} nhưng nội dung thật là "
                             f"{KIND_LABELS[kind]}. Vui lòng gửi đúng tệp gốc.")
    if kind == "pdf":
        _check_pdf(data, name, max_pages)
    elif kind == "docx":
        _check_docx(data, name)
    elif kind in ("jpeg", "png"):
        _check_image(data, name)
    return kind


def _check_pdf(data: bytes, name: str, max_pages: int) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        pages = None if encrypted else len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError):
        raise UploadRejected(f"Tệp PDF «{name}» bị hỏng, không mở được. Vui lòng quét lại.") from None
    if encrypted:
        raise UploadRejected(f"Tệp PDF «{name}» được đặt mật khẩu (mã hóa). Vui lòng gửi bản PDF "
                             "không đặt mật khẩu.")
    if not pages:
        raise UploadRejected(f"Tệp PDF «{name}» không có trang nào.")
    if pages > max_pages:
        raise UploadRejected(f"Tệp PDF «{name}» có {pages} trang, vượt quá giới hạn {max_pages} trang.")


def _check_docx(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadRejected(f"Tệp Word «{name}» bị hỏng, không mở được.") from None
    if "word/document.xml" not in names:
        raise UploadRejected(f"Tệp «{name}» là tệp nén, không phải tài liệu Word (.docx).")


def _check_image(data: bytes, name: str) -> None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception:  # noqa: BLE001 — any decoder error means a broken picture
        raise UploadRejected(f"Ảnh «{name}» bị hỏng, không mở được. Vui lòng chụp lại.") from None


def _short(filename: str | None) -> str:
    name = PurePath(filename or "tệp").name or "tệp"
    return name if len(name) <= 60 else name[:57] + "…"
