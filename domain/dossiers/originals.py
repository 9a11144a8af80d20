"""The originals of a dossier and their scan pages (create_copy, while in intake)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, func, select

from domain import audit
from domain.access import CurrentUser
from domain.fees import original_fee
from domain.models import Dossier, Original, ScanPage
from domain.refusal import (
    CHECKLIST,
    EXEMPTION_CATEGORIES,
    LEGALISATION_LABELS,
    ORIGIN_LABELS,
    original_must_be_refused,
)

from .access import WorkflowError, actor_of, editable, pages_of


@dataclass
class OriginalData:
    title: str
    doc_type: str = ""
    issuer: str = ""
    issue_date: date | None = None
    origin: str = "vietnamese"
    legalisation: str | None = None
    exemption_category: str | None = None
    pages: int = 1
    copies: int = 1
    checks: list[str] = field(default_factory=list)
    scan_source: str = "official"


COMMON_DOCUMENT_TYPES = [
    "Giấy khai sinh", "Căn cước công dân", "Thẻ căn cước", "Hộ chiếu", "Bằng tốt nghiệp",
    "Bảng điểm", "Giấy chứng nhận quyền sử dụng đất", "Giấy chứng nhận đăng ký kết hôn",
    "Giấy phép lái xe", "Giấy chứng nhận đăng ký doanh nghiệp", "Sổ hộ khẩu", "Khác",
]


def validate_original(data: OriginalData) -> OriginalData:
    data.title = (data.title or "").strip()
    if not data.title:
        raise WorkflowError("Vui lòng nhập tên giấy tờ (bản chính).")
    if data.origin not in ORIGIN_LABELS:
        raise WorkflowError("Vui lòng chọn nguồn gốc của bản chính.")
    if data.origin == "foreign":
        if data.legalisation not in LEGALISATION_LABELS:
            raise WorkflowError("Giấy tờ nước ngoài: vui lòng chọn tình trạng hợp pháp hóa lãnh sự.")
        if data.legalisation == "exempt" and data.exemption_category not in EXEMPTION_CATEGORIES:
            raise WorkflowError(
                "Vui lòng chọn loại giấy tờ được miễn hợp pháp hóa lãnh sự (Thông tư 01/2020)."
            )
        if original_must_be_refused(data.origin, data.legalisation):
            raise WorkflowError("Giấy tờ nước ngoài chưa được hợp pháp hóa lãnh sự: phải từ chối chứng thực "
                                "(khoản 5 Điều 22 Nghị định 23/2015/NĐ-CP).")
    else:
        data.legalisation, data.exemption_category = None, None
    if not isinstance(data.pages, int) or data.pages < 1 or data.pages > 10000:
        raise WorkflowError("Số trang của bản chính phải là số nguyên từ 1 trở lên.")
    if not isinstance(data.copies, int) or data.copies < 1 or data.copies > 100:
        raise WorkflowError("Số bản sao phải từ 1 đến 100.")
    known = {item.code for item in CHECKLIST}
    data.checks = [c for c in data.checks if c in known]
    return data


def save_original(session: Session, user: CurrentUser, dossier_id: int, data: OriginalData,
                  original_id: int | None = None, addr: str = "") -> Original:
    """Add or update an original of a dossier; its fee follows its page count."""
    dossier = editable(session, user, dossier_id)
    data = validate_original(data)
    if original_id is None:
        position = session.exec(select(func.count()).select_from(Original)
                                .where(Original.dossier_id == dossier.id)).one()
        original = Original(dossier_id=dossier.id, position=position, title=data.title)
        session.add(original)
    else:
        original = session.get(Original, original_id)
        if original is None or original.dossier_id != dossier.id:
            raise WorkflowError("Không tìm thấy bản chính trong hồ sơ.")
    for name in ("title", "doc_type", "issuer", "issue_date", "origin", "legalisation", "exemption_category",
                 "pages", "copies", "checks", "scan_source"):
        setattr(original, name, getattr(data, name))
    original.fee = original_fee(data.pages, data.copies)
    original.signed_sha256 = None
    session.flush()
    audit.record(session, actor_of(user, addr), "save_original", target_type="dossier", target_id=dossier.id,
                 office_id=dossier.office_id, summary=f"Bản chính «{data.title}», {data.pages} trang")
    session.flush()
    return original


def _original_in(session: Session, user: CurrentUser, original_id: int) -> tuple[Dossier, Original]:
    original = session.get(Original, original_id)
    if original is None:
        raise WorkflowError("Không tìm thấy bản chính.")
    return editable(session, user, original.dossier_id), original


def add_scan_pages(session: Session, user: CurrentUser, original_id: int, file_sha256: str, page_count: int,
                   addr: str = "") -> list[ScanPage]:
    """Attach an uploaded file's pages (already stored and checked) to an original."""
    dossier, original = _original_in(session, user, original_id)
    # Lock the original so that two uploads to it cannot take the same positions (PostgreSQL; on
    # SQLite the write session already holds the database's write lock).
    session.exec(select(Original).where(Original.id == original_id).with_for_update()).one()
    start = len(pages_of(session, original_id))
    pages = [ScanPage(original_id=original_id, position=start + i, file_sha256=file_sha256, page_index=i)
             for i in range(page_count)]
    session.add_all(pages)
    audit.record(session, actor_of(user, addr), "add_scan", target_type="dossier", target_id=dossier.id,
                 office_id=dossier.office_id, summary=f"Thêm {page_count} trang scan cho «{original.title}»")
    session.flush()
    return pages


def edit_scan_page(session: Session, user: CurrentUser, page_id: int, action: str, addr: str = "") -> None:
    """Rotate (clockwise 90°), move up/down, or delete one scanned page."""
    page = session.get(ScanPage, page_id)
    if page is None:
        raise WorkflowError("Không tìm thấy trang scan.")
    dossier, original = _original_in(session, user, page.original_id)
    pages = pages_of(session, original.id)
    index = next(i for i, p in enumerate(pages) if p.id == page.id)
    if action == "rotate":
        page.rotation = (page.rotation + 90) % 360
    elif action in ("up", "down"):
        other = index - 1 if action == "up" else index + 1
        if 0 <= other < len(pages):
            pages[index], pages[other] = pages[other], pages[index]
    elif action == "delete":
        pages.pop(index)
        session.delete(page)
    else:
        raise WorkflowError("Thao tác không hợp lệ.")
    for position, p in enumerate(pages):
        p.position = position
    audit.record(session, actor_of(user, addr), f"scan_{action}", target_type="dossier", target_id=dossier.id,
                 office_id=dossier.office_id, summary=f"Trang scan «{original.title}»")
    session.flush()
