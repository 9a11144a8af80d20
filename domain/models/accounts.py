"""Accounts of officials and citizens, their rights, sessions, sign-in failures and one-time codes.
Times are aware UTC (domain.clock.utcnow); dates are local dates."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.clock import utcnow


class Account(SQLModel, table=True):
    """Sign-in identity of an official or a citizen."""
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default="official", max_length=10, index=True)  # official | citizen
    username: str = Field(index=True, unique=True, max_length=64)
    full_name: str = Field(max_length=255)
    name_folded: str = Field(default="", index=True, max_length=255)
    id_number: str | None = Field(default=None, index=True, unique=True, max_length=12)
    old_id_number: str | None = Field(default=None, max_length=9)
    phone: str | None = Field(default=None, index=True, unique=True, max_length=10)
    email: str | None = Field(default=None, max_length=255)
    date_of_birth: date | None = None
    sex: str | None = Field(default=None, max_length=3)
    address: str | None = Field(default=None, max_length=500)
    title: str | None = Field(default=None, max_length=120)  # e.g. "Chủ tịch" for a leader
    status: str = Field(default="active", max_length=10, index=True)  # active | pending | disabled
    password_hash: str | None = Field(default=None, max_length=255)
    must_change_password: bool = False
    failed_logins: int = 0
    locked_until: datetime | None = None
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    # An official belongs to exactly one office (its administrators' scope); None for citizens.
    office_id: int | None = Field(default=None, foreign_key="office.id", index=True)
    signing_config: dict = Field(default_factory=dict, sa_column=Column(JSON))  # a leader's own key
    created_by_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    one_stop_unit_id: int | None = Field(default=None, foreign_key="unit.id")  # citizen: opened there
    id_scan_sha256: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None


class RightGrant(SQLModel, table=True):
    """A right held by an official in an office (one person may hold several)."""
    __table_args__ = (UniqueConstraint("account_id", "office_id", "right"),)
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    right: str = Field(max_length=32)
    granted_by_id: int | None = Field(default=None, foreign_key="account.id")
    granted_at: datetime = Field(default_factory=utcnow)


class RightRequest(SQLModel, table=True):
    """A signing or sealing right one administrator proposed; it takes effect only when a second
    administrator of the office approves it (separation of duties)."""
    __tablename__ = "right_request"
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    right: str = Field(max_length=32)
    proposed_by_id: int = Field(foreign_key="account.id")
    proposed_at: datetime = Field(default_factory=utcnow)
    status: str = Field(default="pending", max_length=10, index=True)  # pending | approved | withdrawn
    decided_by_id: int | None = Field(default=None, foreign_key="account.id")
    decided_at: datetime | None = None


class UserSession(SQLModel, table=True):
    """A signed-in browser session; the browser keeps only the random token."""
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    account_id: int = Field(foreign_key="account.id", index=True)
    office_id: int | None = Field(default=None, foreign_key="office.id")
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    ended_at: datetime | None = None
    client_addr: str = Field(default="", max_length=64)


class LoginFailure(SQLModel, table=True):
    """Failed sign-ins by client address (and the account tried, when one matched): slows guessing from one
    place and locks that address out of that account, never the account for everyone."""
    id: int | None = Field(default=None, primary_key=True)
    client_addr: str = Field(index=True, max_length=64)
    account_id: int | None = Field(default=None, index=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    login_key: str | None = Field(default=None, index=True, max_length=64)  # the login typed, hashed


class Otp(SQLModel, table=True):
    """A one-time code sent by SMS; only the hash is kept."""
    id: int | None = Field(default=None, primary_key=True)
    phone: str = Field(index=True, max_length=10)
    purpose: str = Field(max_length=20)  # create_account | reset_password
    subject: str = Field(default="", max_length=64)  # e.g. the ID number the code is for
    code_hash: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    expires_at: datetime
    attempts: int = 0
    used_at: datetime | None = None
    superseded: bool = False
    created_by_id: int | None = Field(default=None, foreign_key="account.id")
