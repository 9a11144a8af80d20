"""The API's answers, as Pydantic models (they are the OpenAPI document's schemas)."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

VerdictStatus = Literal["valid", "revoked", "not_found", "altered", "untrusted"]


class Signer(BaseModel):
    name: str
    role: Literal["leader", "office", "foreign"]
    role_label: str
    valid: bool
    signed_at: datetime | None = None
    timestamped: bool = False


class Verdict(BaseModel):
    """What the public verification page shows, as data: no personal data beyond it (the requester's name
    shortened as the page shows it; never an ID number, address or phone)."""
    status: VerdictStatus
    status_label: str
    valid: bool
    certification_number: str | None = None
    book: str | None = None
    issued_at: datetime | None = None
    office: str | None = None
    title: str | None = None
    page_count: int | None = None
    requester: str | None = None
    revoked_at: datetime | None = None
    revoke_reason: str | None = None
    signers: list[Signer] = Field(default_factory=list)
    level: str = Field("", description="PAdES baseline level: B-B, B-T, B-LT, B-LTA")
    notes: list[str] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)
    sha256: str


class PortalStatus(BaseModel):
    code: str = Field(description="Mã trạng thái hồ sơ theo Cổng dịch vụ công / hệ thống một cửa")
    label: str


class DossierEventOut(BaseModel):
    event_id: str = Field(description="Khóa chống trùng (idempotency) của sự kiện")
    sequence: int
    type: str
    label: str
    occurred_at: datetime
    portal_status: PortalStatus
    data: dict = Field(default_factory=dict)


class DossierSummary(BaseModel):
    code: str
    office: str
    office_code: str
    state: str
    state_label: str
    portal_status: PortalStatus
    received_at: datetime
    due_at: datetime
    submitted_at: datetime | None = None
    signed_at: datetime | None = None
    issued_at: datetime | None = None
    refused_at: datetime | None = None
    last_sequence: int = Field(0, description="Số thứ tự của sự kiện gần nhất (dùng làm con trỏ)")


class ResultCopy(BaseModel):
    index: int
    certification_number: str
    book: str
    verify_code: str
    sha256: str
    revoked: bool


class RefusalGround(BaseModel):
    code: str
    text: str
    legal_basis: str


class DossierDetail(DossierSummary):
    history: list[DossierEventOut] = Field(default_factory=list)
    results: list[ResultCopy] = Field(default_factory=list)
    refusal_grounds: list[RefusalGround] = Field(default_factory=list)


class DossierPage(BaseModel):
    items: list[DossierSummary]
    next_cursor: int = Field(description="Gửi lại làm `since` để lấy các thay đổi sau trang này")
    has_more: bool
