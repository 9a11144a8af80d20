"""Turn uploaded bytes (JPEG, PNG, PDF, DOCX) into page images, refusing hostile input."""
from __future__ import annotations

import io
import warnings
import zipfile

from PIL import Image, ImageOps

from app.intake.sniff import sniff
from domain.idcard import IdCardReadError

MAX_PIXELS = 40_000_000          # a 40-megapixel photo is plenty for an ID card
MAX_PAGES = 4                    # both sides, with room for a cover page
MAX_DOCX_IMAGE_BYTES = 30 * 1024 * 1024
MAX_DOCX_RATIO = 200             # a zip member expanding more than this is a bomb
PDF_SCALE = 300 / 72             # render PDF pages at 300 dpi

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def load_images(name: str, data: bytes) -> list[Image.Image]:
    """RGB images of every page or picture in the file. Raises IdCardReadError."""
    if not data:
        raise IdCardReadError(f"Tệp «{name}» rỗng, không có nội dung.")
    kind = sniff(data)
    if kind in ("jpeg", "png"):
        return [open_image(data, name)]
    if kind == "pdf":
        return _pdf_pages(name, data)
    if kind == "docx":
        return _docx_images(name, data)
    if kind == "doc":
        raise IdCardReadError(f"Tệp «{name}» là tài liệu Word cũ (.doc); hãy lưu lại dưới dạng .docx, "
                              "PDF hoặc ảnh JPEG/PNG.")
    raise IdCardReadError(f"Tệp «{name}» không phải ảnh JPEG/PNG, PDF hay DOCX đọc được.")


def open_image(data: bytes, name: str = "ảnh") -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            if img.width * img.height > MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise IdCardReadError(f"Ảnh trong «{name}» quá lớn (trên {MAX_PIXELS // 1_000_000} triệu điểm ảnh); "
                              "hãy chụp lại với độ phân giải thấp hơn.") from None
    except Exception:
        raise IdCardReadError(f"Ảnh trong «{name}» bị hỏng hoặc không đọc được.") from None
    img = _apply_exif_rotation(img)
    return img.convert("RGB")


def _apply_exif_rotation(img: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(img)
    except Exception:
        return img


def _pdf_pages(name: str, data: bytes) -> list[Image.Image]:
    import pypdfium2 as pdfium
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise IdCardReadError(f"Tệp PDF «{name}» được đặt mật khẩu; hãy gửi bản không mã hóa.") from None
        raise IdCardReadError(f"Tệp PDF «{name}» bị hỏng hoặc không đọc được.") from None
    try:
        pages = []
        for index in range(min(len(pdf), MAX_PAGES)):
            page = pdf[index]
            w, h = page.get_size()
            scale = min(PDF_SCALE, (MAX_PIXELS / max(w * h, 1)) ** 0.5)
            pages.append(page.render(scale=scale).to_pil().convert("RGB"))
            page.close()
        if not pages:
            raise IdCardReadError(f"Tệp PDF «{name}» không có trang nào.")
        return pages
    finally:
        pdf.close()


def _docx_images(name: str, data: bytes) -> list[Image.Image]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [i for i in archive.infolist() if i.filename.startswith("word/media/")]
    except zipfile.BadZipFile:
        raise IdCardReadError(f"Tệp «{name}» bị hỏng, không mở được như tài liệu DOCX.") from None
    if "word/document.xml" not in archive.namelist():
        raise IdCardReadError(f"Tệp «{name}» không phải tài liệu DOCX.")
    images = []
    for info in sorted(members, key=lambda i: i.filename)[:MAX_PAGES]:
        if info.file_size > MAX_DOCX_IMAGE_BYTES or info.file_size > MAX_DOCX_RATIO * max(
            info.compress_size, 1
        ):
            raise IdCardReadError(f"Tệp «{name}» chứa ảnh nén bất thường (nghi «bom nén»); đã từ chối.")
        with archive.open(info) as member:
            blob = member.read(MAX_DOCX_IMAGE_BYTES + 1)
        if len(blob) > MAX_DOCX_IMAGE_BYTES:
            raise IdCardReadError(f"Tệp «{name}» chứa ảnh quá lớn; đã từ chối.")
        if sniff(blob) in ("jpeg", "png"):
            images.append(open_image(blob, name))
    if not images:
        raise IdCardReadError(f"Tài liệu «{name}» không chứa ảnh nào của thẻ căn cước.")
    return images
