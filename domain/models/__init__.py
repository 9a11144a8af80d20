"""Database tables (SQLModel), one module per aggregate. Times are aware UTC (see domain.clock.utcnow);
dates are local dates.

The schema serves every capability: accounts and rights, offices and their calendars, citizen
accounts and OTPs, the outboxes (SMS, e-mail), appointments, dossiers with their originals and
scans, payments, the register of certified copies and the audit trail.

`from domain.models import X` is the way to reach a table: every one is re-exported here, and importing
this package registers them all in SQLModel.metadata (Alembic and the migration-drift test rely on it).
"""
from .accounts import Account, LoginFailure, Otp, RightGrant, RightRequest, UserSession
from .api import ApiCall, ApiClient, DossierEvent, WebhookDelivery
from .audit import AuditEvent
from .dossiers import Appointment, Dossier, IntakeDraft, Original, Payment, ScanPage
from .files import StoredFile
from .keys import SigningSecret
from .organisation import Office, OfficeDay, Unit
from .outbox import EmailMessage, SmsMessage
from .register import CopyFile, RegisterCounter, RegisterEntry, Revocation

__all__ = [
    "Account", "ApiCall", "ApiClient", "DossierEvent", "WebhookDelivery",
    "Appointment", "AuditEvent", "CopyFile", "Dossier", "EmailMessage", "IntakeDraft",
    "LoginFailure",
    "Office", "OfficeDay", "Original", "Otp", "Payment", "RegisterCounter", "RegisterEntry", "Revocation",
    "RightGrant", "RightRequest", "ScanPage", "SigningSecret", "SmsMessage", "StoredFile", "Unit",
    "UserSession",
]
