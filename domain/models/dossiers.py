"""Dossiers with their appointments, originals, scan pages and payments.
Times are aware UTC (domain.clock.utcnow); dates are local dates."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from domain.clock import utcnow


class Appointment(SQLModel, table=True):
    __table_args__ = (Index("ix_appointment_office_day", "office_id", "day"),)
    id: int | None = Field(default=None, primary_key=True)
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
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=32)
    office_id: int = Field(foreign_key="office.id", index=True)
    state: str = Field(default="draft", max_length=12, index=True)
    appointment_id: int | None = Field(default=None, foreign_key="appointment.id")
    citizen_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    requester_kind: str = Field(default="person", max_length=12)  # person | organisation
    requester_name: str = Field(max_length=255)
    requester_name_folded: str = Field(default="", index=True, max_length=255)
    requester_id_number: str | None = Field(default=None, index=True, max_length=12)
    requester_dob: date | None = None
    requester_phone: str | None = Field(default=None, max_length=10)
    requester_email: str | None = Field(default=None, max_length=255)
    requester_address: str | None = Field(default=None, max_length=500)
    org_tax_code: str | None = Field(default=None, max_length=20)
    org_representative: str | None = Field(default=None, max_length=255)
    complex: bool = False
    received_at: datetime = Field(default_factory=utcnow)
    due_at: datetime  # the result's deadline (UTC)
    step_due_at: datetime | None = None  # the current step's budget (UTC)
    extension_reason: str | None = Field(default=None, max_length=500)
    extension_agreement: str | None = Field(default=None, max_length=500)
    created_by_id: int = Field(foreign_key="account.id", index=True)
    submitted_at: datetime | None = None
    signed_at: datetime | None = None
    signed_by_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    issued_at: datetime | None = None
    sealed_by_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    refused_at: datetime | None = None
    refusal_grounds: list = Field(default_factory=list, sa_column=Column(JSON))
    refusal_note: str | None = Field(default=None, sa_column=Column(Text))
    refusal_notice_sha256: str | None = Field(default=None, max_length=64)
    return_comment: str | None = Field(default=None, sa_column=Column(Text))


class Original(SQLModel, table=True):
    """A paper original presented in a dossier; each gets its own copy, number and fee."""
    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    position: int = 0
    title: str = Field(max_length=255)
    doc_type: str = Field(default="", max_length=64)
    issuer: str = Field(default="", max_length=255)
    issue_date: date | None = None
    origin: str = Field(default="vietnamese", max_length=12)  # vietnamese | foreign | joint
    legalisation: str | None = Field(default=None, max_length=16)  # legalised | exempt | not_legalised
    exemption_category: str | None = Field(default=None, max_length=64)
    pages: int = 1  # pages of the original; drives the fee
    copies: int = 1
    fee: int = 0
    checks: list = Field(default_factory=list, sa_column=Column(JSON))  # confirmed Art. 22 checks
    scan_source: str = Field(default="official", max_length=10)  # official | requester
    signed_sha256: str | None = Field(default=None, max_length=64)  # after the leader's signature


class ScanPage(SQLModel, table=True):
    """One page of an original's scan: a file in the store (image, or a page of a PDF)."""
    id: int | None = Field(default=None, primary_key=True)
    original_id: int = Field(foreign_key="original.id", index=True)
    position: int = 0
    file_sha256: str = Field(max_length=64)
    page_index: int = 0
    rotation: int = 0


class Payment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    amount: int
    method: str = Field(max_length=10)  # cash | transfer
    receipt_number: str = Field(max_length=64)
    collected_by_id: int = Field(foreign_key="account.id")
    at: datetime = Field(default_factory=utcnow)


class IntakeDraft(SQLModel, table=True):
    """What an official has typed on the intake form and not yet opened as a dossier: one per account,
    kept server-side so it survives the idle limit and a new sign-in (issue 33)."""
    __tablename__ = "intake_draft"
    account_id: int = Field(primary_key=True, foreign_key="account.id")
    data: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)
