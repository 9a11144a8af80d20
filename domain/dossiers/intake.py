"""Step 2 begins: the requester and the dossier received for them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from domain import audit, webhook_events
from domain.access import CurrentUser
from domain.clock import to_utc, utcnow
from domain.deadlines import result_due, step_due
from domain.email_address import is_valid_email
from domain.models import Account, Appointment, Dossier, Office
from domain.offices import calendar_for
from domain.phone import InvalidPhone, normalize_vn_mobile
from domain.rights import Right
from domain.text import fold

from .access import WorkflowError, actor_of


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


def validate_requester(data: RequesterData) -> RequesterData:
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
    return RequesterData(
        name=account.full_name,
        id_number=account.id_number,
        date_of_birth=account.date_of_birth,
        phone=account.phone,
        email=account.email,
        address=account.address,
    )


def open_dossier(session: Session, user: CurrentUser, requester: RequesterData, *, addr: str = "",
                 citizen_id: int | None = None, appointment_id: int | None = None,
                 received_at: datetime | None = None, complex_: bool = False) -> Dossier:
    """Receive a request: from the appointment list, a walk-in, or a signed-in citizen."""
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
        code="tmp",
        office_id=office.id,
        citizen_id=citizen_id,
        appointment_id=appointment_id,
        requester_kind=requester.kind,
        requester_name=requester.name,
        requester_name_folded=fold(requester.name),
        requester_id_number=requester.id_number,
        requester_dob=requester.date_of_birth,
        requester_phone=requester.phone,
        requester_email=requester.email,
        requester_address=requester.address,
        org_tax_code=requester.tax_code,
        org_representative=requester.representative,
        complex=complex_,
        received_at=received,
        due_at=to_utc(result_due(received, calendar)),
        step_due_at=to_utc(step_due("intake", received, calendar, complex=complex_)),
        created_by_id=user.account_id,
    )
    session.add(dossier)
    session.flush()
    dossier.code = f"HS{received.year}{dossier.id:07d}"
    audit.record(session, actor_of(user, addr), "open_dossier", target_type="dossier", target_id=dossier.id,
                 office_id=office.id, summary=f"Tiếp nhận hồ sơ {dossier.code} của {requester.name}")
    webhook_events.record(session, dossier, webhook_events.RECEIVED)
    session.flush()
    return dossier
