"""The audit trail as the administrator reads it: who, what, when, which record; paged on the server.

An administrator sees the events of their office only: those recorded for it, and those recorded
without an office (older sign-ins) whose actor or target account is one of its officials.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import String, and_, cast, func, or_
from sqlmodel import Session, select

from domain import audit
from domain.access import CurrentUser
from domain.admin_scope import AdminError, Page, admin_office, paginate
from domain.clock import LOCAL_TZ, to_utc
from domain.models import Account, AuditEvent
from domain.text import fold

EXPORT_LIMIT = 50_000

ACTION_LABELS: dict[str, str] = {
    "sign_in": "Đăng nhập",
    "sign_in_failed": "Đăng nhập sai",
    "sms_resend": "Gửi lại tin nhắn SMS",
    "sign_out": "Đăng xuất",
    "change_password": "Đổi mật khẩu",
    "seed_demo": "Tạo dữ liệu demo",
    "create_admin": "Tạo quản trị viên",
    "create_official": "Thêm tài khoản công chức",
    "update_official": "Sửa tài khoản công chức",
    "deactivate_official": "Vô hiệu hóa tài khoản",
    "reactivate_official": "Kích hoạt lại tài khoản",
    "activate_official": "Kích hoạt tài khoản",
    "unlock_official": "Mở khóa tài khoản",
    "reset_password": "Cấp lại mật khẩu",
    "grant_right": "Cấp quyền",
    "revoke_right": "Thu hồi quyền",
    "create_unit": "Thêm đơn vị",
    "update_unit": "Sửa đơn vị",
    "update_office_settings": "Sửa cấu hình cơ quan",
    "add_office_day": "Thêm ngày nghỉ / làm bù",
    "remove_office_day": "Bỏ ngày nghỉ / làm bù",
    "export_audit": "Xuất nhật ký hệ thống",
    "remote_authorize": "Xác nhận ký số từ xa",
    "remote_sign_failed": "Ký số từ xa không thành công",
    "update_official_signing": "Sửa chữ ký số của người ký",
    "propose_right": "Đề nghị cấp quyền ký/đóng dấu",
    "withdraw_right_request": "Hủy đề nghị cấp quyền",
    "import_signing_key": "Chuyển khóa ký vào kho khóa",
}
TARGET_LABELS = {"account": "Tài khoản", "unit": "Đơn vị", "office": "Cơ quan", "dossier": "Hồ sơ"}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""  # name or username of who acted
    action: str = ""
    date_from: date | None = None  # local dates, both included
    date_to: date | None = None
    target: str = ""  # "account:5", "5", or a username


def search_audit(session: Session, user: CurrentUser, flt: AuditFilter, page: int = 1,
                 page_size: int = 50) -> Page:
    """Newest first."""
    office = admin_office(session, user)
    conditions = _conditions(session, office.id, flt)
    total = session.exec(select(func.count()).select_from(AuditEvent).where(*conditions)).one()
    page, offset = paginate(total, page, page_size)
    events = session.exec(select(AuditEvent).where(*conditions).order_by(AuditEvent.id.desc())
                          .offset(offset).limit(page_size)).all()
    return Page(list(events), total, page, page_size)


def audit_actions(session: Session, user: CurrentUser) -> list[str]:
    office = admin_office(session, user)
    found = set(session.exec(select(AuditEvent.action).where(_office_condition(office.id)).distinct()))
    return sorted(found | set(ACTION_LABELS), key=action_label)


def events_for_export(
    session: Session, user: CurrentUser, flt: AuditFilter
) -> list[AuditEvent]:
    """The filtered events, newest first, for a file; the export itself is audited."""
    actor = audit.actor_of(user)
    office = admin_office(session, user)
    conditions = _conditions(session, office.id, flt)
    total = session.exec(select(func.count()).select_from(AuditEvent).where(*conditions)).one()
    if total > EXPORT_LIMIT:
        raise AdminError(
            f"Có {total} sự kiện, quá {EXPORT_LIMIT} dòng cho một tệp: hãy thu hẹp khoảng thời gian."
        )
    events = list(session.exec(select(AuditEvent).where(*conditions).order_by(AuditEvent.id.desc())))
    audit.record(
        session,
        actor,
        "export_audit",
        target_type="office",
        target_id=office.id,
        office_id=office.id,
        summary=f"Xuất {len(events)} sự kiện ra tệp XLSX; bộ lọc: {describe(flt)}",
    )
    session.flush()
    return events


def describe(flt: AuditFilter) -> str:
    parts = [f"người thực hiện «{flt.actor}»" if flt.actor else "",
             f"thao tác «{action_label(flt.action)}»" if flt.action else "",
             f"từ {flt.date_from:%d/%m/%Y}" if flt.date_from else "",
             f"đến {flt.date_to:%d/%m/%Y}" if flt.date_to else "",
             f"đối tượng «{flt.target}»" if flt.target else ""]
    return ", ".join(p for p in parts if p) or "không có"


def _office_condition(office_id: int):
    staff = select(Account.id).where(Account.office_id == office_id)
    staff_ids = select(cast(Account.id, String)).where(Account.office_id == office_id)
    return or_(AuditEvent.office_id == office_id,
               and_(AuditEvent.office_id.is_(None),
                    or_(AuditEvent.actor_id.in_(staff),
                        and_(AuditEvent.target_type == "account", AuditEvent.target_id.in_(staff_ids)))))


def _conditions(session: Session, office_id: int, flt: AuditFilter) -> list:
    if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
        raise AdminError("Khoảng thời gian không hợp lệ: «từ ngày» phải trước «đến ngày».")
    conditions = [_office_condition(office_id)]
    who = (flt.actor or "").strip()
    if who:
        ids = session.exec(select(Account.id).where(or_(
            Account.name_folded.contains(fold(who), autoescape=True),
            func.lower(Account.username) == who.lower()))).all()
        conditions.append(
            or_(AuditEvent.actor_id.in_(ids), AuditEvent.actor_name.contains(who, autoescape=True))
        )
    if flt.action:
        conditions.append(AuditEvent.action == flt.action)
    if flt.date_from:
        conditions.append(AuditEvent.at >= to_utc(datetime.combine(flt.date_from, time.min, LOCAL_TZ)))
    if flt.date_to:
        conditions.append(
            AuditEvent.at < to_utc(datetime.combine(flt.date_to + timedelta(days=1), time.min, LOCAL_TZ))
        )
    target = (flt.target or "").strip()
    if target:
        if ":" in target:
            kind, _, ident = target.partition(":")
            conditions += [AuditEvent.target_type == kind.strip(), AuditEvent.target_id == ident.strip()]
        else:
            account = session.exec(
                select(Account.id).where(func.lower(Account.username) == target.lower())
            ).first()
            ids = [target] + ([str(account)] if account is not None else [])
            conditions.append(AuditEvent.target_id.in_(ids))
    return conditions
