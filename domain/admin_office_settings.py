"""The office's settings (kind, leader titles, hours, register labels, statement, signing key)
and its own calendar exceptions. Changes apply to dossiers received afterwards; each is audited
by the names of the fields changed, never their secret values."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from sqlmodel import Session, select

from domain import audit
from domain.access import CurrentUser
from domain.admin_scope import AdminError, admin_office
from domain.email_address import is_valid_email
from domain.models import OfficeDay
from domain.signing.statement import DEFAULT_STATEMENT_TEMPLATE
from domain.signing_keys import clean_signing

OFFICE_KINDS = {"commune": "UBND cấp xã", "district_justice_office": "Phòng Tư pháp cấp huyện (cũ)"}
DAY_KINDS = {"off": "Ngày nghỉ thêm", "work": "Ngày làm việc bù"}
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")

LABELS = {
    "kind": "loại cơ quan",
    "name": "tên cơ quan",
    "address": "địa chỉ",
    "leader_titles": "chức danh lãnh đạo",
    "office_hours": "giờ làm việc",
    "saturday_reception": "tiếp nhận thứ Bảy",
    "saturday_hours": "giờ thứ Bảy",
    "book_label_template": "nhãn quyển sổ",
    "number_format": "định dạng số chứng thực",
    "statement_template": "mẫu lời chứng",
    "notify_sms": "thông báo SMS",
    "notify_email": "thông báo thư điện tử",
    "allow_pay_later": "cho phép nộp phí sau",
    "slot_minutes": "độ dài khung giờ hẹn",
    "slot_capacity": "số người mỗi khung giờ",
    "email": "thư điện tử của cơ quan",
    "signing_config": "chữ ký số của cơ quan",
}


@dataclass
class OfficeSettings:
    kind: str = "commune"
    name: str = ""
    address: str = ""
    leader_titles: list = field(default_factory=list)
    office_hours: list = field(default_factory=list)  # [["08:00", "12:00"], ...]
    saturday_reception: bool = False
    saturday_hours: list = field(default_factory=list)
    book_label_template: str = ""
    number_format: str = ""
    statement_template: str = ""
    notify_sms: bool = True
    notify_email: bool = True
    allow_pay_later: bool = False
    slot_minutes: int = 30
    slot_capacity: int = 4
    email: str = ""
    signing_config: dict = field(default_factory=dict)


def office_settings(session: Session, user: CurrentUser) -> OfficeSettings:
    office = admin_office(session, user)
    return OfficeSettings(**{name: _copy(getattr(office, name)) for name in LABELS})


def update_office_settings(
    session: Session, user: CurrentUser, settings: OfficeSettings
) -> list[str]:
    """Check everything, then save; returns the labels of the fields that changed."""
    actor = audit.actor_of(user)
    office = admin_office(session, user)
    problems: list[str] = []
    signing = clean_signing(session, office, settings.signing_config or {}, office.signing_config or {},
                            problems, who="Chữ ký số của cơ quan", actor_id=actor.account_id)
    clean = clean_settings(settings, problems)
    clean.signing_config = signing
    changed = [name for name, value in asdict(clean).items() if getattr(office, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(office, name, _copy(getattr(clean, name)))
    labels = [LABELS[name] for name in changed]
    audit.record(session, actor, "update_office_settings", target_type="office", target_id=office.id,
                 office_id=office.id, summary="Sửa cấu hình cơ quan: " + ", ".join(labels))
    session.flush()
    return labels


def clean_settings(s: OfficeSettings, problems: list[str] | None = None) -> OfficeSettings:
    """Normalised settings, or AdminError listing every problem in Vietnamese (with `problems` already
    found, such as the signing key's); the signing config is the caller's (domain.signing_keys)."""
    problems = list(problems or [])
    if s.kind not in OFFICE_KINDS:
        problems.append("Loại cơ quan không hợp lệ.")
    name = " ".join((s.name or "").split())
    if not name:
        problems.append("Vui lòng nhập tên cơ quan.")
    titles = [" ".join(t.split()) for t in s.leader_titles if t and t.strip()]
    if not titles:
        problems.append("Cần ít nhất một chức danh lãnh đạo (ví dụ: Chủ tịch UBND xã).")
    office_hours = _periods(s.office_hours, "Giờ làm việc", problems)
    saturday_hours = _periods(
        s.saturday_hours, "Giờ tiếp nhận thứ Bảy", problems, required=s.saturday_reception
    )
    _template(s.book_label_template, "Nhãn quyển sổ", {"book", "year"}, {"book"}, problems)
    _template(s.number_format, "Định dạng số chứng thực", {"n", "year"}, {"n"}, problems)
    statement = (s.statement_template or "").strip()
    if statement and statement != DEFAULT_STATEMENT_TEMPLATE:
        _template(statement, "Mẫu lời chứng", {"number", "book", "dd", "mm", "yyyy"}, {"number"}, problems)
    if not 5 <= int(s.slot_minutes or 0) <= 240:
        problems.append("Độ dài khung giờ hẹn phải từ 5 đến 240 phút.")
    if not 1 <= int(s.slot_capacity or 0) <= 100:
        problems.append("Số người mỗi khung giờ phải từ 1 đến 100.")
    email = (s.email or "").strip(" \t")
    if email and not is_valid_email(email):
        problems.append("Thư điện tử của cơ quan không hợp lệ.")
    if problems:
        raise AdminError(" ".join(problems))
    return OfficeSettings(
        s.kind,
        name,
        (s.address or "").strip(),
        titles,
        office_hours,
        bool(s.saturday_reception),
        saturday_hours,
        s.book_label_template.strip(),
        s.number_format.strip(),
        "" if statement == DEFAULT_STATEMENT_TEMPLATE else statement,
        bool(s.notify_sms),
        bool(s.notify_email),
        bool(s.allow_pay_later),
        int(s.slot_minutes),
        int(s.slot_capacity),
        email,
        dict(s.signing_config or {}),
    )


def list_office_days(session: Session, user: CurrentUser) -> list[OfficeDay]:
    office = admin_office(session, user)
    return list(
        session.exec(select(OfficeDay).where(OfficeDay.office_id == office.id).order_by(OfficeDay.day))
    )


def add_office_day(session: Session, user: CurrentUser, day: date | None, kind: str,
                   note: str = "") -> OfficeDay:
    """An extra day off or a make-up working day of the office."""
    actor = audit.actor_of(user)
    office = admin_office(session, user)
    if not isinstance(day, date):
        raise AdminError("Vui lòng chọn ngày (định dạng ngày/tháng/năm).")
    if kind not in DAY_KINDS:
        raise AdminError("Loại ngày không hợp lệ.")
    existing = session.exec(
        select(OfficeDay).where(OfficeDay.office_id == office.id, OfficeDay.day == day)
    ).first()
    if existing:
        raise AdminError(
            f"Ngày {day:%d/%m/%Y} đã có trong danh sách ({DAY_KINDS.get(existing.kind, existing.kind)})."
        )
    row = OfficeDay(office_id=office.id, day=day, kind=kind, note=(note or "").strip()[:255])
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "add_office_day",
        target_type="office",
        target_id=office.id,
        office_id=office.id,
        summary=f"Thêm {DAY_KINDS[kind].lower()} {day:%d/%m/%Y}",
    )
    session.flush()
    return row


def remove_office_day(session: Session, user: CurrentUser, day_id: int) -> None:
    actor = audit.actor_of(user)
    office = admin_office(session, user)
    row = session.get(OfficeDay, day_id)
    if row is None or row.office_id != office.id:
        raise AdminError("Không tìm thấy ngày này trong lịch của cơ quan.")
    session.delete(row)
    audit.record(
        session,
        actor,
        "remove_office_day",
        target_type="office",
        target_id=office.id,
        office_id=office.id,
        summary=f"Bỏ {DAY_KINDS.get(row.kind, row.kind).lower()} {row.day:%d/%m/%Y}",
    )
    session.flush()


def _copy(value):
    if isinstance(value, list):
        return [list(v) if isinstance(v, (list, tuple)) else v for v in value]
    return dict(value) if isinstance(value, dict) else value


def _periods(periods: list, what: str, problems: list[str], required: bool = True) -> list[list[str]]:
    result = []
    for period in periods or []:
        start, end = (str(period[0]).strip(), str(period[1]).strip()) if len(period) == 2 else ("", "")
        if not (_TIME.fullmatch(start) and _TIME.fullmatch(end)):
            problems.append(f"{what}: giờ phải theo dạng GG:PP, ví dụ 08:00 (đã nhập «{start}–{end}»).")
            return []
        result.append([start, end])
    if required and not result:
        problems.append(f"{what}: cần ít nhất một khoảng giờ.")
    for i, (start, end) in enumerate(result):
        if start >= end:
            problems.append(f"{what}: giờ bắt đầu phải trước giờ kết thúc ({start}–{end}).")
        elif i and result[i - 1][1] > start:
            problems.append(f"{what}: các khoảng giờ phải theo thứ tự và không chồng nhau ({start}–{end}).")
    return result


def _template(text: str, what: str, allowed: set[str], required: set[str], problems: list[str]) -> None:
    names = set(re.findall(r"\{(\w*)[^{}]*\}", text or ""))
    if not (text or "").strip():
        problems.append(f"{what}: không được để trống.")
        return
    if names - allowed:
        problems.append(f"{what}: chỉ được dùng {_braces(allowed)} (không có {_braces(names - allowed)}).")
        return
    if required - names:
        problems.append(f"{what}: phải có {_braces(required)}.")
        return
    try:
        text.format(**{name: 1 for name in allowed})
    except (ValueError, IndexError, KeyError):
        problems.append(f"{what}: mẫu không hợp lệ (kiểm tra các dấu ngoặc {{ }}).")


def _braces(names: set[str]) -> str:
    return ", ".join("{" + n + "}" for n in sorted(names))
