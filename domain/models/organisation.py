"""Offices and their organisational units and calendar days.
Times are aware UTC (domain.clock.utcnow); dates are local dates."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.clock import utcnow


class Unit(SQLModel, table=True):
    """Any organisational unit (đơn vị); identified by its code (mã định danh)."""
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=64)
    name: str = Field(max_length=255)
    name_folded: str = Field(default="", index=True, max_length=255)  # for diacritic-free search
    kind: str = Field(default="other", max_length=20)  # office | one_stop | other
    parent_id: int | None = Field(default=None, foreign_key="unit.id")
    created_at: datetime = Field(default_factory=utcnow)


class Office(SQLModel, table=True):
    """A unit that certifies copies: its own staff, register and signing key."""
    id: int | None = Field(default=None, primary_key=True)
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
    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    day: date
    kind: str = Field(max_length=10)  # off | work
    note: str = Field(default="", max_length=255)
