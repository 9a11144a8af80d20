"""Step 2, intake (create_copy): the dossier, its originals and their scans; extension; submit; refuse."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, func, select

from domain import audit, workflow
from domain.email_address import is_valid_email
from domain.access import AccessDenied, CurrentUser
from domain.audit import Actor
from domain.clock import Clock, to_utc, utcnow
from domain.deadlines import ExtensionRefused, extend_due, result_due, step_due
from domain.fees import original_fee
from domain.models import Account, Appointment, Dossier, Office, Original, Payment, ScanPage
from domain.offices import calendar_for
from domain.refusal import (CHECKLIST, EXEMPTION_CATEGORIES, LEGALISATION_LABELS, ORIGIN_LABELS,
                            REFUSAL_GROUNDS, failed_checks, original_must_be_refused)
from domain.rights import Right
from domain.text import fold
from domain.errors import DomainError


class WorkflowError(DomainError):
    """A dossier action the rules refuse."""


@dataclass
class RequesterData:
    name: str
    kind: str = "person"  # person | organisation
    id_number: str | None = None
    date_of_birth: date | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    tax_code: str | None = None
    representative: str | None = None


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


def get_dossier_for(session: Session, user: CurrentUser, dossier_id: int) -> Dossier:
    """The dossier if it belongs to the user's office; officials of other offices see nothing."""
    dossier = session.get(Dossier, dossier_id)
    if dossier is None or user.is_citizen or dossier.office_id != user.office_id:
        raise AccessDenied("Không tìm thấy hồ sơ hoặc hồ sơ thuộc cơ quan khác.")
    return dossier


def lock_dossier_for(session: Session, user: CurrentUser, dossier_id: int) -> Dossier:
    """get_dossier_for, holding the dossier's row until commit: on PostgreSQL two use cases deciding
    on one dossier's state (paying, refusing) run one after the other (SQLite has one writer)."""
    session.exec(select(Dossier.id).where(Dossier.id == dossier_id).with_for_update()).first()
    dossier = get_dossier_for(session, user, dossier_id)
    session.refresh(dossier)
    return dossier


def _actor(user: CurrentUser, addr: str = "") -> Actor:
    return Actor(user.account_id, user.full_name, addr)


def validate_requester(data: RequesterData) -> RequesterData:
    from domain.phone import InvalidPhone, normalize_vn_mobile

    data.name = (data.name or "").strip()
    if not data.name:
        raise WorkflowError("Vui lòng nhập họ tên người yêu cầu (hoặc tên tổ chức).")
    if data.kind not in ("person", "organisation"):
        raise WorkflowError("Loại người yêu cầu không hợp lệ.")
    if data.kind == "organisation" and not (data.representative or "").strip():
        raise WorkflowError("Vui lòng nhập người đại diện của tổ chức.")
    if data.id_number:
        data.id_number = data.id_number.strip()
        if not (data.id_number.isdigit() and len(data.id_number) in (9, 12)):
            raise WorkflowError("Số giấy tờ tùy thân phải gồm 12 chữ số (CCCD) hoặc 9 chữ số (CMND).")
    if data.phone:
        try:
            data.phone = normalize_vn_mobile(data.phone)
        except InvalidPhone as exc:
            raise WorkflowError(str(exc)) from exc
    if data.email:
        data.email = data.email.strip(" \t")
        if not is_valid_email(data.email):
            raise WorkflowError("Địa chỉ thư điện tử không hợp lệ.")
    return data


def requester_from_account(session: Session, citizen_id: int) -> RequesterData:
    account = session.get(Account, citizen_id)
    if account is None or account.kind != "citizen":
        raise WorkflowError("Không tìm thấy tài khoản công dân.")
    return RequesterData(name=account.full_name, id_number=account.id_number, date_of_birth=account.date_of_birth,
                         phone=account.phone, email=account.email, address=account.address)


def open_dossier(session: Session, user: CurrentUser, requester: RequesterData, *, addr: str = "",
                 citizen_id: int | None = None, appointment_id: int | None = None,
                 received_at: datetime | None = None, complex_: bool = False) -> Dossier:
    """Receive a request: from the appointment list, a walk-in, or a signed-in citizen. Commits."""
    user.require(Right.CREATE_COPY)
    requester = validate_requester(requester)
    office = session.get(Office, user.office_id)
    received = to_utc(received_at) if received_at else utcnow()
    calendar = calendar_for(session, office)
    if appointment_id is not None:
        appointment = session.get(Appointment, appointment_id)
        if appointment is None or appointment.office_id != office.id or appointment.status != "booked":
            raise WorkflowError("Lịch hẹn không còn hiệu lực.")
        appointment.status = "done"
        citizen_id = appointment.citizen_id
    dossier = Dossier(
        code="tmp", office_id=office.id, citizen_id=citizen_id, appointment_id=appointment_id,
        requester_kind=requester.kind, requester_name=requester.name, requester_name_folded=fold(requester.name),
        requester_id_number=requester.id_number, requester_dob=requester.date_of_birth,
        requester_phone=requester.phone, requester_email=requester.email, requester_address=requester.address,
        org_tax_code=requester.tax_code, org_representative=requester.representative, complex=complex_,
        received_at=received, due_at=to_utc(result_due(received, calendar)),
        step_due_at=to_utc(step_due("intake", received, calendar, complex=complex_)), created_by_id=user.account_id,
    )
    session.add(dossier)
    session.flush()
    dossier.code = f"HS{received.year}{dossier.id:07d}"
    audit.record(session, _actor(user, addr), "open_dossier", target_type="dossier", target_id=dossier.id,
                 office_id=office.id, summary=f"Tiếp nhận hồ sơ {dossier.code} của {requester.name}")
    session.commit()
    return dossier


def _editable(session: Session, user: CurrentUser, dossier_id: int) -> Dossier:
    user.require(Right.CREATE_COPY)
    dossier = get_dossier_for(session, user, dossier_id)
    if dossier.state not in (workflow.DRAFT, workflow.RETURNED):
        raise WorkflowError(f"Hồ sơ đang ở trạng thái «{workflow.STATE_LABELS[dossier.state]}», không sửa được.")
    return dossier


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
            raise WorkflowError("Vui lòng chọn loại giấy tờ được miễn hợp pháp hóa lãnh sự (Thông tư 01/2020).")
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
    """Add or update an original of a dossier; its fee follows its page count. Commits."""
    dossier = _editable(session, user, dossier_id)
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
    audit.record(session, _actor(user, addr), "save_original", target_type="dossier", target_id=dossier.id,
                 office_id=dossier.office_id, summary=f"Bản chính «{data.title}», {data.pages} trang")
    session.commit()
    return original


def originals_of(session: Session, dossier_id: int) -> list[Original]:
    return list(session.exec(select(Original).where(Original.dossier_id == dossier_id).order_by(Original.position)))


def pages_of(session: Session, original_id: int) -> list[ScanPage]:
    return list(session.exec(select(ScanPage).where(ScanPage.original_id == original_id)
                             .order_by(ScanPage.position)))


def _original_in(session: Session, user: CurrentUser, original_id: int) -> tuple[Dossier, Original]:
    original = session.get(Original, original_id)
    if original is None:
        raise WorkflowError("Không tìm thấy bản chính.")
    return _editable(session, user, original.dossier_id), original


def add_scan_pages(session: Session, user: CurrentUser, original_id: int, file_sha256: str, page_count: int,
                   addr: str = "") -> list[ScanPage]:
    """Attach an uploaded file's pages (already stored and checked) to an original. Commits."""
    dossier, original = _original_in(session, user, original_id)
    # Lock the original so that two uploads to it cannot take the same positions (PostgreSQL; on
    # SQLite the write session already holds the database's write lock).
    session.exec(select(Original).where(Original.id == original_id).with_for_update()).one()
    start = len(pages_of(session, original_id))
    pages = [ScanPage(original_id=original_id, position=start + i, file_sha256=file_sha256, page_index=i)
             for i in range(page_count)]
    session.add_all(pages)
    audit.record(session, _actor(user, addr), "add_scan", target_type="dossier", target_id=dossier.id,
                 office_id=dossier.office_id, summary=f"Thêm {page_count} trang scan cho «{original.title}»")
    session.commit()
    return pages


def edit_scan_page(session: Session, user: CurrentUser, page_id: int, action: str, addr: str = "") -> None:
    """Rotate (clockwise 90°), move up/down, or delete one scanned page. Commits."""
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
    audit.record(session, _actor(user, addr), f"scan_{action}", target_type="dossier", target_id=dossier.id,
                 office_id=dossier.office_id, summary=f"Trang scan «{original.title}»")
    session.commit()


def dossier_fee(session: Session, dossier_id: int) -> int:
    return sum(o.fee for o in originals_of(session, dossier_id))


def paid_amount(session: Session, dossier_id: int) -> int:
    return session.exec(select(func.coalesce(func.sum(Payment.amount), 0))
                        .where(Payment.dossier_id == dossier_id)).one()


def submission_problems(session: Session, dossier: Dossier, office: Office) -> list[str]:
    """What still stops the dossier from going to the leader (Vietnamese, one line each)."""
    problems = []
    originals = originals_of(session, dossier.id)
    if not originals:
        problems.append("Hồ sơ chưa có bản chính nào.")
    for original in originals:
        if not pages_of(session, original.id):
            problems.append(f"«{original.title}» chưa có bản scan.")
        # Whether a paper was drawn up by an individual is not recorded apart: the official ticks the
        # "individual_confirmed" check for such papers, so that check never blocks on its own.
        missing = failed_checks(set(original.checks), foreign=original.origin == "foreign", individual_paper=False)
        if missing:
            problems.append(f"«{original.title}»: chưa xác nhận đủ các điểm kiểm tra bản chính (Điều 22).")
    if not office.allow_pay_later and originals and paid_amount(session, dossier.id) < dossier_fee(session, dossier.id):
        problems.append("Hồ sơ chưa nộp phí chứng thực.")
    return problems


def submit(session: Session, user: CurrentUser, dossier_id: int, addr: str = "",
           clock: Clock | None = None) -> Dossier:
    """Send the dossier to the leader (draft/returned → submitted); the leader step's deadline starts. Commits."""
    dossier = _editable(session, user, dossier_id)
    office = session.get(Office, dossier.office_id)
    problems = submission_problems(session, dossier, office)
    if problems:
        raise WorkflowError(" ".join(problems))
    dossier.state = workflow.next_state(dossier.state, workflow.SUBMIT)
    now = utcnow(clock)
    dossier.submitted_at = now
    dossier.step_due_at = to_utc(step_due("leader", now, calendar_for(session, office)))
    audit.record(session, _actor(user, addr), "submit", target_type="dossier", target_id=dossier.id,
                 office_id=dossier.office_id, summary=f"Trình lãnh đạo ký hồ sơ {dossier.code}")
    session.commit()
    return dossier


def extend(session: Session, user: CurrentUser, dossier_id: int, working_days: int, reason: str,
           agreement: str = "", addr: str = "") -> Dossier:
    """Extend the result's deadline (≤ 2 working days, longer with a written agreement). Commits."""
    dossier = _editable(session, user, dossier_id)
    if not reason.strip():
        raise WorkflowError("Vui lòng ghi lý do gia hạn.")
    office = session.get(Office, dossier.office_id)
    try:
        due = extend_due(dossier.due_at, working_days, calendar_for(session, office),
                         written_agreement=bool(agreement.strip()))
    except ExtensionRefused as exc:
        raise WorkflowError(exc.message) from exc
    dossier.due_at = to_utc(due)
    dossier.extension_reason = reason.strip()
    dossier.extension_agreement = agreement.strip() or None
    audit.record(session, _actor(user, addr), "extend", target_type="dossier", target_id=dossier.id,
                 office_id=dossier.office_id, summary=f"Gia hạn {working_days} ngày làm việc: {reason.strip()}")
    session.commit()
    return dossier


def refuse(session: Session, user: CurrentUser, dossier_id: int, grounds: list[str], note: str,
           notice_pdf: bytes | None = None, store=None, addr: str = "") -> Dossier:
    """End the dossier with one or more Art. 22 grounds; the written notice is stored. Commits."""
    dossier = lock_dossier_for(session, user, dossier_id)
    right = workflow.required_right(dossier.state, workflow.REFUSE)  # raises IllegalTransition
    user.require(right)
    grounds = [g for g in grounds if g in REFUSAL_GROUNDS]
    if not grounds:
        raise WorkflowError("Vui lòng chọn ít nhất một lý do từ chối theo Điều 22 Nghị định 23/2015/NĐ-CP.")
    if not note.strip():
        raise WorkflowError("Vui lòng ghi rõ giải thích cho người yêu cầu.")
    dossier.state = workflow.next_state(dossier.state, workflow.REFUSE)
    dossier.refused_at = utcnow()
    dossier.refusal_grounds = grounds
    dossier.refusal_note = note.strip()
    if notice_pdf is not None and store is not None:
        dossier.refusal_notice_sha256 = store(session, notice_pdf, "application/pdf")
    audit.record(session, _actor(user, addr), "refuse", target_type="dossier", target_id=dossier.id,
                 office_id=dossier.office_id, summary=f"Từ chối chứng thực: {', '.join(grounds)}")
    session.commit()
    return dossier
