"""Citizen accounts created at the one-stop desk (SPEC A6–A13): use cases, each one transaction with
its audit event. OTP codes and passwords go only into the SMS outbox, never into audit or logs."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import func, or_
from sqlmodel import Session, select

from domain import audit, otp
from domain.access import AccessDenied, CurrentUser, rights_by_office
from domain.citizen_fields import check_birth_date, full_name, old_id_number
from domain.email_address import is_valid_email
from domain.errors import DomainError
from domain.models import Account, Unit
from domain.passwords import generate_password
from domain.phone import InvalidPhone, normalize_vn_mobile, phone_search_key
from domain.rights import Right
from domain.security import hash_password
from domain.sms import SECRET, mask_phone, queue_sms
from domain.text import contains_one_stop_marker, fold

OTP_PURPOSE = "create_account"

NO_ONE_STOP_UNIT = (
    "Không chọn được Bộ phận Một cửa: tài khoản của bạn chưa được gán vào đơn vị Bộ phận Một cửa, "
    "hoặc tên đơn vị của bạn không chứa cụm từ «Bộ phận Một cửa». "
    "Vui lòng liên hệ quản trị hệ thống để cập nhật đơn vị công tác."
)
ID_NUMBER_FORMAT = "Số định danh cá nhân (CCCD) gồm đúng 12 chữ số."
OLD_ID_ONLY_SECONDARY = ("Số CMND 9 chữ số chỉ nhập ở ô «Số CMND cũ». "
                         "Vui lòng tra cứu bằng số định danh cá nhân 12 chữ số.")


class CitizenAccountError(DomainError):
    """A citizen account the rules do not allow."""


@dataclass(frozen=True)
class Lookup:
    id_number: str
    exists: bool
    message: str


@dataclass(frozen=True)
class CitizenDraft:
    """What the official confirmed on the form."""
    id_number: str
    full_name: str
    date_of_birth: date | None
    phone: str
    one_stop_unit_id: int | None
    id_scan_sha256: str | None
    email: str | None = None
    old_id_number: str | None = None
    sex: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class Created:
    account_id: int
    username: str
    phone: str


def require_desk_right(session: Session, account_id: int | None, office_id: int | None) -> None:
    """The server-side check: the official holds create_citizen_account in this office."""
    account = session.get(Account, account_id) if account_id is not None else None
    if (
        account is None
        or office_id is None
        or account.office_id != office_id
        or account.status != "active"
        or Right.CREATE_CITIZEN_ACCOUNT not in rights_by_office(session, account_id).get(office_id, set())
    ):
        raise AccessDenied()


def one_stop_units(session: Session, official_id: int) -> list[Unit]:
    """The official's own unit if it is a one-stop section (A5), and its child units that are."""
    official = session.get(Account, official_id)
    if official is None or official.unit_id is None:
        return []
    own = session.get(Unit, official.unit_id)
    candidates = [own] + list(session.exec(select(Unit).where(Unit.parent_id == own.id).order_by(Unit.name)))
    return [u for u in candidates if contains_one_stop_marker(u.name)]


def normalise_id_number(text: str | None) -> str:
    """12 digits (spaces and dots ignored); a 9-digit CMND is refused with its own message."""
    digits = re.sub(r"[\s.]", "", text or "")
    if len(digits) == 9 and digits.isdigit():
        raise CitizenAccountError(OLD_ID_ONLY_SECONDARY)
    if len(digits) != 12 or not digits.isdigit():
        raise CitizenAccountError(ID_NUMBER_FORMAT)
    return digits


def find_by_id_number(session: Session, id_number: str) -> Account | None:
    return session.exec(select(Account).where(or_(Account.id_number == id_number,
                                                  Account.username == id_number))).first()


def lookup_id_number(session: Session, user: CurrentUser, text: str) -> Lookup:
    """A7: is there already an account with this number? Audited."""
    actor, office_id = audit.actor_of(user), user.office_id
    require_desk_right(session, actor.account_id, office_id)
    id_number = normalise_id_number(text)
    exists = find_by_id_number(session, id_number) is not None
    message = (f"Số định danh {id_number} đã có tài khoản trên hệ thống; không tạo thêm tài khoản. "
               "Nếu công dân quên mật khẩu, hãy hướng dẫn dùng «Quên mật khẩu» trên cổng."
               if exists else f"Số định danh {id_number} chưa có tài khoản. Tiếp tục nhập thông tin.")
    audit.record(session, actor, "citizen_lookup", target_type="id_number", target_id=id_number,
                 office_id=office_id, summary="Đã có tài khoản" if exists else "Chưa có tài khoản")
    session.flush()
    return Lookup(id_number, exists, message)


def record_id_scan(session: Session, user: CurrentUser, id_number: str, sha256: str,
                   filename: str, kind: str) -> None:
    """The scan is in the file store (the caller stored it in this session); audit it."""
    actor, office_id = audit.actor_of(user), user.office_id
    require_desk_right(session, actor.account_id, office_id)
    audit.record(
        session,
        actor,
        "citizen_scan_upload",
        target_type="file",
        target_id=sha256,
        office_id=office_id,
        summary=f"Bản chụp CCCD ({kind}, «{filename[:100]}») cho số {id_number}",
    )
    session.flush()


def validate_draft(session: Session, official_id: int, draft: CitizenDraft) -> CitizenDraft:
    """A9: check every field; returns the draft with normalised values. Raises CitizenAccountError
    listing all problems at once."""
    problems: list[str] = []
    id_number = draft.id_number
    try:
        id_number = normalise_id_number(draft.id_number)
    except CitizenAccountError as exc:
        problems.append(exc.message)
    old = old_id_number(draft.old_id_number, problems)
    name = full_name(draft.full_name, problems)
    check_birth_date(draft.date_of_birth, problems)
    phone = draft.phone
    try:
        phone = normalize_vn_mobile(draft.phone or "")
    except InvalidPhone as exc:
        problems.append(exc.message)
    email = (draft.email or "").strip(" \t") or None
    if email is not None and not is_valid_email(email):
        problems.append("Địa chỉ thư điện tử không hợp lệ (ví dụ: ten@example.com).")
    problems += _desk_problems(session, official_id, draft)
    if not problems:  # the database is asked only once the fields themselves are right
        problems += _taken_problems(session, id_number, phone)
    if problems:
        raise CitizenAccountError(" ".join(problems))
    sex = draft.sex.strip().capitalize() if draft.sex else None
    address = re.sub(r"\s+", " ", draft.address or "").strip()[:500] or None
    return replace(draft, id_number=id_number, old_id_number=old, full_name=name, phone=phone, email=email,
                   sex=sex if sex in ("Nam", "Nữ") else None, address=address)


def _desk_problems(session: Session, official_id: int, draft: CitizenDraft) -> list[str]:
    """The one-stop unit chosen is the official's own, and the ID card scan is there."""
    problems = []
    units = {u.id for u in one_stop_units(session, official_id)}
    if not units:
        problems.append(NO_ONE_STOP_UNIT)
    elif draft.one_stop_unit_id not in units:
        problems.append("Vui lòng chọn Bộ phận Một cửa nơi bạn làm việc.")
    if not draft.id_scan_sha256:
        problems.append("Vui lòng tải lên bản chụp hai mặt CCCD/CMND.")
    return problems


def _taken_problems(session: Session, id_number: str, phone: str) -> list[str]:
    """The ID number or the phone already belongs to an account."""
    problems = []
    if find_by_id_number(session, id_number) is not None:
        problems.append(f"Số định danh {id_number} đã có tài khoản; không tạo thêm.")
    taken = session.exec(select(Account.id).where(Account.phone == phone)).first()
    if taken is not None:
        problems.append("Số điện thoại này đã gắn với một tài khoản khác. Mỗi tài khoản cần "
                        "số điện thoại riêng của chủ tài khoản.")
    return problems


def record_request_form(session: Session, user: CurrentUser, draft: CitizenDraft) -> CitizenDraft:
    """A10: the filled request form was downloaded. Validates, audits."""
    actor, office_id = audit.actor_of(user), user.office_id
    require_desk_right(session, actor.account_id, office_id)
    draft = validate_draft(session, actor.account_id, draft)
    audit.record(session, actor, "citizen_request_form", target_type="id_number", target_id=draft.id_number,
                 office_id=office_id, summary="Tải giấy đề nghị tạo tài khoản")
    session.flush()
    return draft


def send_account_otp(session: Session, user: CurrentUser, draft: CitizenDraft,
                     now: datetime) -> int:
    """A11: a new 6-digit code by SMS to the citizen's phone (queued in the outbox). Returns the
    SmsMessage id. Raises CitizenAccountError or otp.OtpError (limits)."""
    actor, office_id = audit.actor_of(user), user.office_id
    require_desk_right(session, actor.account_id, office_id)
    draft = validate_draft(session, actor.account_id, draft)
    issued = otp.issue(session, draft.phone, OTP_PURPOSE, draft.id_number, now, actor.account_id)
    sms = queue_sms(session, draft.phone,
                    f"Ma OTP tao tai khoan Chung thuc dien tu cua ban la {SECRET}. "
                    f"Ma co hieu luc {otp.VALID_MINUTES} phut. Khong cung cap ma nay cho nguoi khac.",
                    "otp_create_account", secret=issued.code, valid_for=issued.expires_at - now,
                    office_id=office_id, now=now)
    audit.record(session, actor, "citizen_otp_sent", target_type="id_number", target_id=draft.id_number,
                 office_id=office_id, summary=f"Gửi mã OTP tới {mask_phone(draft.phone)}")
    session.flush()
    return sms.id


def create_citizen_account(session: Session, user: CurrentUser, draft: CitizenDraft, code: str,
                           now: datetime) -> Created:
    """A12: check the latest code, create the account with a temporary password sent by SMS;
    the citizen must change it at first sign-in. A wrong code is still counted (kept)."""
    actor, office_id = audit.actor_of(user), user.office_id
    require_desk_right(session, actor.account_id, office_id)
    draft = validate_draft(session, actor.account_id, draft)
    otp.consume(session, draft.phone, OTP_PURPOSE, draft.id_number, code, now)  # a counted wrong code is kept
    password = generate_password()
    account = Account(kind="citizen", username=draft.id_number, full_name=draft.full_name,
                      name_folded=fold(draft.full_name), id_number=draft.id_number,
                      old_id_number=draft.old_id_number, phone=draft.phone, email=draft.email,
                      date_of_birth=draft.date_of_birth, sex=draft.sex, address=draft.address,
                      password_hash=hash_password(password), must_change_password=True, status="active",
                      created_by_id=actor.account_id, one_stop_unit_id=draft.one_stop_unit_id,
                      id_scan_sha256=draft.id_scan_sha256, created_at=now)
    session.add(account)
    session.flush()
    queue_sms(
        session,
        draft.phone,
        f"Tai khoan Chung thuc dien tu da duoc tao. Ten dang nhap: {draft.id_number} "
        f"(hoac so dien thoai). Mat khau tam thoi: {SECRET} . Vui long doi mat khau khi dang nhap lan dau.",
        "temp_password",
        secret=password,
        office_id=office_id,
        now=now,
    )
    audit.record(session, actor, "citizen_account_created", target_type="account", target_id=account.id,
                 office_id=office_id, summary=f"Tạo tài khoản công dân {draft.id_number}; "
                                              f"mật khẩu tạm thời gửi qua SMS tới {mask_phone(draft.phone)}")
    session.flush()
    return Created(account.id, account.username, account.phone)


def list_created_accounts(session: Session, official_id: int, search: str = "", page: int = 1,
                          page_size: int = 20) -> tuple[list[Account], int]:
    """A6: the citizen accounts this official created, newest first, filtered and paged on the server."""
    query = select(Account).where(Account.created_by_id == official_id, Account.kind == "citizen")
    term = (search or "").strip()
    if term:
        conditions = [Account.name_folded.contains(fold(term)), Account.id_number.startswith(term)]
        phone = phone_search_key(term)
        if phone:
            conditions.append(Account.phone == phone)
        elif term.isdigit():
            conditions.append(Account.phone.contains(term))
        query = query.where(or_(*conditions))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(Account.created_at.desc(), Account.id.desc())
                        .offset(max(0, page - 1) * page_size).limit(page_size)).all()
    return list(rows), total


def update_own_email(session: Session, user: CurrentUser, email: str | None) -> str | None:
    """A citizen sets or clears their own e-mail address; raises CitizenAccountError."""
    actor = audit.actor_of(user)
    account = session.get(Account, actor.account_id)
    if account is None or account.kind != "citizen":
        raise AccessDenied()
    email = (email or "").strip(" \t") or None
    if email is not None and not is_valid_email(email):
        raise CitizenAccountError("Địa chỉ thư điện tử không hợp lệ (ví dụ: ten@example.com).")
    account.email = email
    audit.record(session, actor, "citizen_email_changed", target_type="account", target_id=account.id,
                 summary="Cập nhật thư điện tử" if email else "Xóa thư điện tử")
    session.flush()
    return email
