"""Signing secrets an administrator handed to the product: an office's or a leader's PKCS#12 key, or a
remote-signing (CSC) client secret or access token. Stored sealed: the key that opens them is the server
operator's (DATA_DIR/keystore.key or KEYSTORE_KEY), never in the database nor in a backup."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from domain.clock import utcnow


class SigningSecret(SQLModel, table=True):
    __tablename__ = "signing_secret"
    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)  # the only office that may use it
    account_id: int | None = Field(default=None, foreign_key="account.id", index=True)  # a leader's own
    kind: str = Field(max_length=16)  # pkcs12 | csc_secret | csc_token
    sealed: str = Field(sa_column=Column(Text, nullable=False))
    cert_sha256: str = Field(default="", index=True, max_length=64)  # a PKCS#12 key's certificate
    subject: str = Field(default="", max_length=255)
    organisation: str = Field(default="", max_length=255)
    not_after: datetime | None = None
    created_by_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = Field(default_factory=utcnow)
