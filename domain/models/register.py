"""The register of certified copies: yearly counters, entries, their files and revocations.
Times are aware UTC (domain.clock.utcnow); dates are local dates."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.clock import utcnow


class RegisterCounter(SQLModel, table=True):
    """The last number given in an office's register for a year. A seal in progress holds it for a while
    (`sealing_by`, until `sealing_until`): the next number is known before signing, without a transaction
    held across the signing (domain.register.reservation)."""
    __table_args__ = (UniqueConstraint("office_id", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id")
    year: int
    last_number: int = 0
    book: int = 1
    closed_at: datetime | None = None
    closed_total: int | None = None
    closing_sha256: str | None = Field(default=None, max_length=64)
    sealing_by: str | None = Field(default=None, max_length=96)
    sealing_until: datetime | None = None


class RegisterEntry(SQLModel, table=True):
    """An entry of the register of certified copies; hash-chained per office."""
    __table_args__ = (
        UniqueConstraint("office_id", "year", "number"),
        Index("ix_register_office_issued", "office_id", "issued_at"),
        Index("ix_register_office_number", "office_id", "number"),  # search by number across years
        Index("ix_register_office_name", "office_id", "requester_name_folded"),  # name prefix in the office
        Index("ix_register_office_title", "office_id", "document_title_folded"),  # title prefix in the office
    )
    id: int | None = Field(default=None, primary_key=True)
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
    requester_id_number: str | None = Field(default=None, index=True, max_length=12)
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
    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="registerentry.id", index=True)
    seq: int = 0
    file_sha256: str = Field(index=True, unique=True, max_length=64)
    # When the certificate of the file's last time-stamp ends (None: no time-stamp): renew before.
    ts_expires_at: datetime | None = Field(default=None, index=True)
    created_at: datetime = Field(default_factory=utcnow)


class Revocation(SQLModel, table=True):
    """Revocation of an issued copy; kept apart so the register chain never changes."""
    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="registerentry.id", unique=True)
    at: datetime = Field(default_factory=utcnow)
    by_id: int = Field(foreign_key="account.id")
    reason: str = Field(max_length=500)
