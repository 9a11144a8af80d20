"""Checks for uploaded files, shared by every upload: size, real content type from the magic bytes
(the file name's extension must agree), empty files, encrypted or broken PDFs, page count.

    kind = check_upload(data, name, {"pdf", "jpeg", "png"}, 5 * 1024 * 1024)   # or UploadRejected
"""
from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import PurePath

from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from app.intake.pdf_active import active_content
from app.intake.sniff import sniff
from domain.errors import DomainError

KIND_LABELS = {
    "pdf": "PDF",
    "jpeg": "ảnh JPEG",
    "png": "ảnh PNG",
    "docx": "Word (.docx)",
    "doc": "Word (.doc)",
}
MIME = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "doc": "application/msword"}
EXTENSIONS = {".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg", ".jpe": "jpeg", ".png": "png",
              ".docx": "docx", ".doc": "doc"}
DEFAULT_MAX_PAGES = 1000  # a thick original (the fee rule caps at 200,000 VND precisely for those)
MAX_NAME_CHARS = 255
# A4 at 600 dpi is ~35 MP, Legal at 600 dpi ~43 MP, a 48-MP phone photo fits; an 8,900 × 8,900 PNG of
# 21 KB (79 MP, ~380 MB per full decode) does not.
MAX_PIXELS = 50_000_000
MAX_DOCX_UNPACKED = 50 * 1024 * 1024  # a Word file holding an ID scan unpacks to a few MB at most


class UploadRejected(DomainError, ValueError):
    """A file the upload rules refuse."""


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


def check_name(filename: str | None) -> None:
    """Refuse names no browser sends for a real file: paths, control characters, over 255 characters."""
    name = filename or ""
    if len(name) > MAX_NAME_CHARS:
        raise UploadRejected(f"Tên tệp quá dài ({len(name)} ký tự, tối đa {MAX_NAME_CHARS}). Hãy đổi tên tệp "
                             "ngắn hơn rồi gửi lại.")
    if any(ord(c) < 32 or ord(c) == 127 for c in name) or "/" in name or "\\" in name or name in (".", ".."):
        raise UploadRejected(
            "Tên tệp có ký tự không hợp lệ (đường dẫn hoặc ký tự điều khiển). Hãy đổi tên tệp rồi gửi lại."
        )


def check_upload(data: bytes, filename: str, allowed: set[str], max_bytes: int,
                 max_pages: int = DEFAULT_MAX_PAGES) -> str:
    """Return the kind of an acceptable file, or raise UploadRejected with a Vietnamese message."""
    name = _short(filename)
    check_name(filename)
    check_size(len(data), filename, max_bytes)
    kind = sniff(data)
    if kind is None or kind not in allowed:
        found = f" (nội dung là {KIND_LABELS[kind]})" if kind else ""
        raise UploadRejected(
            f"Tệp «{name}» không đúng loại được nhận{found}. Chỉ nhận: {allowed_text(allowed)}."
        )
    claimed = EXTENSIONS.get(PurePath(filename or "").suffix.lower())
    if claimed is not None and claimed != kind:
        raise UploadRejected(f"Tệp «{name}» có đuôi {PurePath(filename).suffix} nhưng nội dung thật là "
                             f"{KIND_LABELS[kind]}. Vui lòng gửi đúng tệp gốc.")
    _check_polyglot(data, kind, name)
    if kind == "pdf":
        _check_pdf(data, name, max_pages)
    elif kind == "docx":
        _check_docx(data, name)
    elif kind in ("jpeg", "png"):
        _check_image(data, name)
    return kind


def _check_polyglot(data: bytes, kind: str, name: str) -> None:
    """Refuse a file that is also another kind of file: a PDF, JPEG or PNG with a ZIP archive inside (a
    PDF+ZIP polyglot), or a picture/Word file a PDF reader would open as a PDF. Stored byte for byte, such a
    file would hand its hidden part to whoever downloads it."""
    hidden = None
    if kind != "docx" and zipfile.is_zipfile(io.BytesIO(data)):
        hidden = "một tệp nén ZIP"
    elif kind != "pdf" and b"%PDF-" in data[:1024]:
        hidden = "một tệp PDF"
    if hidden:
        raise UploadRejected(
            f"Tệp «{name}» vừa là {KIND_LABELS[kind]} vừa chứa {hidden} (tệp «đa định dạng»), "
            "không được nhận. Vui lòng quét hoặc xuất lại tệp từ bản gốc."
        )


def _check_pdf(data: bytes, name: str, max_pages: int) -> None:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        pages = None if encrypted else len(reader.pages)
        active = None if encrypted or not pages else active_content(reader)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError):
        raise UploadRejected(f"Tệp PDF «{name}» bị hỏng, không mở được. Vui lòng quét lại.") from None
    if encrypted:
        raise UploadRejected(f"Tệp PDF «{name}» được đặt mật khẩu (mã hóa). Vui lòng gửi bản PDF "
                             "không đặt mật khẩu.")
    if not pages:
        raise UploadRejected(f"Tệp PDF «{name}» không có trang nào.")
    if pages > max_pages:
        raise UploadRejected(f"Tệp PDF «{name}» có {pages} trang, vượt quá giới hạn {max_pages} trang.")
    if active:
        raise UploadRejected(f"Tệp PDF «{name}» có chứa {active}, không được nhận. Vui lòng gửi bản quét "
                             "hoặc bản PDF thông thường (không có mã lệnh, tệp đính kèm hay biểu mẫu động).")


def _check_docx(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            unpacked = sum(info.file_size for info in infos)
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadRejected(f"Tệp Word «{name}» bị hỏng, không mở được.") from None
    if unpacked > MAX_DOCX_UNPACKED or len(infos) > 2000:
        raise UploadRejected(
            f"Tệp Word «{name}» khi giải nén quá lớn ({size_text(unpacked)}); đây không phải một "
            "bản chụp thẻ thông thường. Vui lòng lưu lại dưới dạng PDF hoặc ảnh."
        )
    if "word/document.xml" not in names:
        raise UploadRejected(f"Tệp «{name}» là tệp nén, không phải tài liệu Word (.docx).")
    active = _active_parts(names, archive_types(data))
    if active:
        raise UploadRejected(
            f"Tệp Word «{name}» có chứa {active}, không được nhận. Hãy lưu lại dưới dạng tài liệu "
            "Word thông thường (.docx), PDF hoặc ảnh rồi gửi lại."
        )


def archive_types(data: bytes) -> str:
    """The package's [Content_Types].xml (what Word itself believes the file is), '' when absent."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("[Content_Types].xml") as f:
            return f.read(1024 * 1024).decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, ValueError, OSError, RuntimeError):
        return ""


def _active_parts(names: set[str], content_types: str) -> str | None:
    """What makes an Office package run something: macros (a .docm renamed .docx), ActiveX, OLE objects."""
    lowered = {n.lower() for n in names}
    if "macroenabled" in content_types.lower() or "vbaproject" in content_types.lower() \
            or any(n.endswith("vbaproject.bin") or n.endswith("vbadata.xml") for n in lowered):
        return "macro (mã lệnh tự chạy)"
    if any("/activex/" in n for n in lowered):
        return "điều khiển ActiveX"
    if any("/embeddings/" in n and (n.endswith(".bin") or "oleobject" in n) for n in lowered):
        return "đối tượng OLE nhúng"
    return None


def _check_image(data: bytes, name: str) -> None:
    """The header's pixel count first (a decompression bomb is refused before decoding), then a full
    decode (verify() alone misses a truncated JPEG, which would only fail later when drawn)."""

    too_big = UploadRejected(
        f"Ảnh «{name}» có kích thước điểm ảnh quá lớn; hãy chụp/quét lại với độ phân giải "
        "thấp hơn (khoảng 300 dpi)."
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise too_big
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))  # JPEG: decode at 1/8 scale
                image.load()
    except UploadRejected:
        raise
    except Image.DecompressionBombError:
        raise too_big from None
    except Exception:  # noqa: BLE001 — any decoder error means a broken picture
        raise UploadRejected(f"Ảnh «{name}» bị hỏng, không mở được. Vui lòng chụp lại.") from None


def _short(filename: str | None) -> str:
    name = PurePath(filename or "tệp").name or "tệp"
    return name if len(name) <= 60 else name[:57] + "…"
