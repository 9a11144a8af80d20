"""Database tables (SQLModel). Times are aware UTC (see domain.clock.utcnow); dates are local dates.

The schema serves every capability: accounts and rights, offices and their calendars, citizen
accounts and OTPs, the outboxes (SMS, e-mail), appointments, dossiers with their originals and
scans, payments, the register of certified copies and the audit trail.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.clock import utcnow


class Unit(SQLModel, table=True):
    """Any organisational unit (đơn vị); identified by its code (mã định danh)."""
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=64)
    name: str = Field(max_length=255)
    name_folded: str = Field(default="", index=True, max_length=255)  # for diacritic-free search
    kind: str = Field(default="other", max_length=20)  # office | one_stop | other
    parent_id: Optional[int] = Field(default=None, foreign_key="unit.id")
    created_at: datetime = Field(default_factory=utcnow)


class Office(SQLModel, table=True):
    """A unit that certifies copies: its own staff, register and signing key."""
    id: Optional[int] = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", unique=True)
    kind: str = Field(default="commune", max_length=32)  # commune | district_justice_office
    name: str = Field(max_length=255)
    address: str = Field(default="", max_length=255)
    leader_titles: list = Field(default_factory=lambda: ["Chủ tịch", "Phó Chủ tịch"], sa_column=Column(JSON))
    office_hours: list = Field(default_factory=lambda: [["08:00", "12:00"], ["13:00", "17:00"]],
                               sa_column=Column(JSON))
    saturday_reception: bool = False
    saturday_hours: list = Field(default_factory=lambda: [["08:00", "12:00"]], sa_column=Column(JSON))
    book_label_template: str = Field(default="{book:02d}/{year}-SCTĐT/BS", max_length=120)
    number_format: str = Field(default="{n}/ĐT", max_length=60)
    statement_template: str = Field(default="", sa_column=Column(Text))  # empty = the default text
    notify_sms: bool = True
    notify_email: bool = True
    allow_pay_later: bool = False
    slot_minutes: int = 30
    slot_capacity: int = 4
    signing_config: dict = Field(default_factory=dict, sa_column=Column(JSON))  # Signer factory config
    email: str = Field(default="", max_length=255)
    created_at: datetime = Field(default_factory=utcnow)


class OfficeDay(SQLModel, table=True):
    """An office's own exception to the calendar: an extra day off or a make-up working day."""
    __table_args__ = (UniqueConstraint("office_id", "day"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    day: date
    kind: str = Field(max_length=10)  # off | work
    note: str = Field(default="", max_length=255)


class Account(SQLModel, table=True):
    """Sign-in identity of an official or a citizen."""
    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(default="official", max_length=10, index=True)  # official | citizen
    username: str = Field(index=True, unique=True, max_length=64)
    full_name: str = Field(max_length=255)
    name_folded: str = Field(default="", index=True, max_length=255)
    id_number: Optional[str] = Field(default=None, index=True, unique=True, max_length=12)
    old_id_number: Optional[str] = Field(default=None, max_length=9)
    phone: Optional[str] = Field(default=None, index=True, unique=True, max_length=10)
    email: Optional[str] = Field(default=None, max_length=255)
    date_of_birth: Optional[date] = None
    sex: Optional[str] = Field(default=None, max_length=3)
    address: Optional[str] = Field(default=None, max_length=500)
    title: Optional[str] = Field(default=None, max_length=120)  # e.g. "Chủ tịch" for a leader
    status: str = Field(default="active", max_length=10, index=True)  # active | pending | disabled
    password_hash: Optional[str] = Field(default=None, max_length=255)
    must_change_password: bool = False
    failed_logins: int = 0
    locked_until: Optional[datetime] = None
    unit_id: Optional[int] = Field(default=None, foreign_key="unit.id", index=True)
    # An official belongs to exactly one office (its administrators' scope); None for citizens.
    office_id: Optional[int] = Field(default=None, foreign_key="office.id", index=True)
    signing_config: dict = Field(default_factory=dict, sa_column=Column(JSON))  # a leader's own key
    created_by_id: Optional[int] = Field(default=None, foreign_key="account.id", index=True)
    one_stop_unit_id: Optional[int] = Field(default=None, foreign_key="unit.id")  # citizen: opened there
    id_scan_sha256: Optional[str] = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: Optional[datetime] = None


class RightGrant(SQLModel, table=True):
    """A right held by an official in an office (one person may hold several)."""
    __table_args__ = (UniqueConstraint("account_id", "office_id", "right"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    right: str = Field(max_length=32)
    granted_by_id: Optional[int] = Field(default=None, foreign_key="account.id")
    granted_at: datetime = Field(default_factory=utcnow)


class UserSession(SQLModel, table=True):
    """A signed-in browser session; the browser keeps only the random token."""
    id: Optional[int] = Field(default=None, primary_key=True)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    account_id: int = Field(foreign_key="account.id", index=True)
    office_id: Optional[int] = Field(default=None, foreign_key="office.id")
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    ended_at: Optional[datetime] = None
    client_addr: str = Field(default="", max_length=64)


class LoginFailure(SQLModel, table=True):
    """Failed sign-ins by client address (and the account tried, when one matched): slows guessing from one
    place and locks that address out of that account, never the account for everyone."""
    id: Optional[int] = Field(default=None, primary_key=True)
    client_addr: str = Field(index=True, max_length=64)
    account_id: Optional[int] = Field(default=None, index=True)
    at: datetime = Field(default_factory=utcnow, index=True)


class AuditEvent(SQLModel, table=True):
    """Append-only, hash-chained: each event carries the hash of the one before."""
    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: Optional[int] = Field(default=None, index=True)
    actor_name: str = Field(default="", max_length=255)
    action: str = Field(index=True, max_length=64)
    target_type: str = Field(default="", max_length=32)
    target_id: str = Field(default="", index=True, max_length=64)
    office_id: Optional[int] = Field(default=None, index=True)
    client_addr: str = Field(default="", max_length=64)
    summary: str = Field(default="", sa_column=Column(Text))
    prev_hash: str = Field(default="", max_length=64)
    hash: str = Field(default="", max_length=64)


class Otp(SQLModel, table=True):
    """A one-time code sent by SMS; only the hash is kept."""
    id: Optional[int] = Field(default=None, primary_key=True)
    phone: str = Field(index=True, max_length=10)
    purpose: str = Field(max_length=20)  # create_account | reset_password
    subject: str = Field(default="", max_length=64)  # e.g. the ID number the code is for
    code_hash: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    expires_at: datetime
    attempts: int = 0
    used_at: Optional[datetime] = None
    superseded: bool = False
    created_by_id: Optional[int] = Field(default=None, foreign_key="account.id")


class SmsMessage(SQLModel, table=True):
    """SMS outbox: every message is kept, with its delivery status. A secret (OTP, temporary password) is
    never in `body` (which holds domain.sms.SECRET where it goes): it is kept encrypted in `secret_box`
    until sent or `secret_expires_at`, then wiped."""
    id: Optional[int] = Field(default=None, primary_key=True)
    phone: str = Field(index=True, max_length=10)
    body: str = Field(sa_column=Column(Text))
    purpose: str = Field(default="", max_length=32)
    status: str = Field(default="queued", max_length=10, index=True)  # queued|sending|sent|retrying|failed
    attempts: int = 0
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    sent_at: Optional[datetime] = None
    office_id: Optional[int] = Field(default=None, index=True)  # whose page may list it
    secret_box: Optional[str] = Field(default=None, sa_column=Column(Text))
    secret_expires_at: Optional[datetime] = None
    claimed_at: Optional[datetime] = None  # when a delivery run took it ('sending')


class EmailMessage(SQLModel, table=True):
    """E-mail outbox with retries; the attachment is a file in the store."""
    id: Optional[int] = Field(default=None, primary_key=True)
    to_addr: str = Field(max_length=255)
    subject: str = Field(max_length=255)
    body: str = Field(sa_column=Column(Text))
    attachment_sha256: Optional[str] = Field(default=None, max_length=64)
    attachment_name: Optional[str] = Field(default=None, max_length=255)
    dossier_id: Optional[int] = Field(default=None, index=True)
    status: str = Field(default="queued", max_length=10, index=True)  # queued|sent|retrying|failed
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, index=True)
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: Optional[datetime] = None


class StoredFile(SQLModel, table=True):
    """A file in the content-addressed store (DATA_DIR/files/ab/cdef…)."""
    sha256: str = Field(primary_key=True, max_length=64)
    size: int
    mime: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow)


class Appointment(SQLModel, table=True):
    __table_args__ = (Index("ix_appointment_office_day", "office_id", "day"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="account.id", index=True)
    office_id: int = Field(foreign_key="office.id")
    day: date
    slot: str = Field(max_length=5)  # "08:30"
    documents: int = 1
    note: str = Field(default="", max_length=500)
    status: str = Field(default="booked", max_length=10)  # booked | cancelled | done
    created_at: datetime = Field(default_factory=utcnow)


class Dossier(SQLModel, table=True):
    """One certification request (hồ sơ) and everything attached to it."""
    __table_args__ = (Index("ix_dossier_office_state_due", "office_id", "state", "due_at"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=32)
    office_id: int = Field(foreign_key="office.id", index=True)
    state: str = Field(default="draft", max_length=12, index=True)
    appointment_id: Optional[int] = Field(default=None, foreign_key="appointment.id")
    citizen_id: Optional[int] = Field(default=None, foreign_key="account.id", index=True)
    requester_kind: str = Field(default="person", max_length=12)  # person | organisation
    requester_name: str = Field(max_length=255)
    requester_name_folded: str = Field(default="", index=True, max_length=255)
    requester_id_number: Optional[str] = Field(default=None, index=True, max_length=12)
    requester_dob: Optional[date] = None
    requester_phone: Optional[str] = Field(default=None, max_length=10)
    requester_email: Optional[str] = Field(default=None, max_length=255)
    requester_address: Optional[str] = Field(default=None, max_length=500)
    org_tax_code: Optional[str] = Field(default=None, max_length=20)
    org_representative: Optional[str] = Field(default=None, max_length=255)
    complex: bool = False
    received_at: datetime = Field(default_factory=utcnow)
    due_at: datetime  # the result's deadline (UTC)
    step_due_at: Optional[datetime] = None  # the current step's budget (UTC)
    extension_reason: Optional[str] = Field(default=None, max_length=500)
    extension_agreement: Optional[str] = Field(default=None, max_length=500)
    created_by_id: int = Field(foreign_key="account.id", index=True)
    submitted_at: Optional[datetime] = None
    signed_at: Optional[datetime] = None
    signed_by_id: Optional[int] = Field(default=None, foreign_key="account.id", index=True)
    issued_at: Optional[datetime] = None
    sealed_by_id: Optional[int] = Field(default=None, foreign_key="account.id", index=True)
    refused_at: Optional[datetime] = None
    refusal_grounds: list = Field(default_factory=list, sa_column=Column(JSON))
    refusal_note: Optional[str] = Field(default=None, sa_column=Column(Text))
    refusal_notice_sha256: Optional[str] = Field(default=None, max_length=64)
    return_comment: Optional[str] = Field(default=None, sa_column=Column(Text))


class Original(SQLModel, table=True):
    """A paper original presented in a dossier; each gets its own copy, number and fee."""
    id: Optional[int] = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    position: int = 0
    title: str = Field(max_length=255)
    doc_type: str = Field(default="", max_length=64)
    issuer: str = Field(default="", max_length=255)
    issue_date: Optional[date] = None
    origin: str = Field(default="vietnamese", max_length=12)  # vietnamese | foreign | joint
    legalisation: Optional[str] = Field(default=None, max_length=16)  # legalised | exempt | not_legalised
    exemption_category: Optional[str] = Field(default=None, max_length=64)
    pages: int = 1  # pages of the original; drives the fee
    copies: int = 1
    fee: int = 0
    checks: list = Field(default_factory=list, sa_column=Column(JSON))  # confirmed Art. 22 checks
    scan_source: str = Field(default="official", max_length=10)  # official | requester
    signed_sha256: Optional[str] = Field(default=None, max_length=64)  # after the leader's signature


class ScanPage(SQLModel, table=True):
    """One page of an original's scan: a file in the store (image, or a page of a PDF)."""
    id: Optional[int] = Field(default=None, primary_key=True)
    original_id: int = Field(foreign_key="original.id", index=True)
    position: int = 0
    file_sha256: str = Field(max_length=64)
    page_index: int = 0
    rotation: int = 0


class Payment(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    amount: int
    method: str = Field(max_length=10)  # cash | transfer
    receipt_number: str = Field(max_length=64)
    collected_by_id: int = Field(foreign_key="account.id")
    at: datetime = Field(default_factory=utcnow)


class RegisterCounter(SQLModel, table=True):
    """The last number given in an office's register for a year; locked while sealing."""
    __table_args__ = (UniqueConstraint("office_id", "year"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id")
    year: int
    last_number: int = 0
    book: int = 1
    closed_at: Optional[datetime] = None
    closed_total: Optional[int] = None
    closing_sha256: Optional[str] = Field(default=None, max_length=64)


class RegisterEntry(SQLModel, table=True):
    """An entry of the register of certified copies; hash-chained per office."""
    __table_args__ = (
        UniqueConstraint("office_id", "year", "number"),
        Index("ix_register_office_issued", "office_id", "issued_at"),
        Index("ix_register_office_number", "office_id", "number"),  # search by number across years
        Index("ix_register_office_name", "office_id", "requester_name_folded"),  # name prefix in the office
        Index("ix_register_office_title", "office_id", "document_title_folded"),  # title prefix in the office
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id")
    year: int
    number: int
    number_text: str = Field(max_length=32)
    book: str = Field(max_length=64)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    original_id: int = Field(foreign_key="original.id", unique=True)
    issued_at: datetime = Field(default_factory=utcnow)
    requester_name: str = Field(max_length=255)
    requester_name_folded: str = Field(default="", index=True, max_length=255)
    requester_id_number: Optional[str] = Field(default=None, index=True, max_length=12)
    document_title: str = Field(max_length=255)
    document_title_folded: str = Field(default="", index=True, max_length=255)
    issuer: str = Field(default="", max_length=255)
    pages: int
    copies: int = 1
    fee: int
    signer_name: str = Field(max_length=255)
    notes: str = Field(default="", max_length=500)
    file_sha256: str = Field(index=True, unique=True, max_length=64)
    verify_code: str = Field(index=True, unique=True, max_length=32)
    prev_hash: str = Field(default="", max_length=64)
    hash: str = Field(default="", max_length=64)
    # The revision the office signed (the file up to its signature): later revisions may only add
    # DSS data and document time-stamps. The certificates that signed as leader and as office.
    sealed_sha256: str = Field(default="", index=True, max_length=64)
    leader_cert_sha256: str = Field(default="", max_length=64)
    office_cert_sha256: str = Field(default="", max_length=64)


class CopyFile(SQLModel, table=True):
    """Each file of an issued copy: seq 0 as issued, then one per document time-stamp renewal (B-LTA).

    The citizen's download and the verification by code use the newest; all are kept."""
    __table_args__ = (UniqueConstraint("entry_id", "seq"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="registerentry.id", index=True)
    seq: int = 0
    file_sha256: str = Field(index=True, unique=True, max_length=64)
    # When the certificate of the file's last time-stamp ends (None: no time-stamp): renew before.
    ts_expires_at: Optional[datetime] = Field(default=None, index=True)
    created_at: datetime = Field(default_factory=utcnow)


class Revocation(SQLModel, table=True):
    """Revocation of an issued copy; kept apart so the register chain never changes."""
    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="registerentry.id", unique=True)
    at: datetime = Field(default_factory=utcnow)
    by_id: int = Field(foreign_key="account.id")
    reason: str = Field(max_length=500)
