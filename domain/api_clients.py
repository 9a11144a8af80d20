"""Integration clients (ứng dụng tích hợp) of the open API: registered by an administrator with their
scopes, a key shown once and stored as its SHA-256, rotated or revoked; every change audited.

A key reads `ct_<prefix>_<secret>`: the prefix (8 hex) finds the row, the whole key's SHA-256 must match.
The secret is 256 random bits, so a plain SHA-256 is enough (no password hashing needed)."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session, or_, select, update

from domain import api_scopes, audit
from domain.access import CurrentUser
from domain.clock import utcnow
from domain.errors import DomainError
from domain.models import ApiCall, ApiClient, WebhookDelivery
from domain.rights import Right

MAX_RATE = 6000
UrlCheck = Callable[[str], str]  # returns the URL to store, or raises DomainError with the reason
Seal = Callable[[str], str]  # seals a secret with a key kept outside the database


class ClientError(DomainError):
    """A client request the administrator must correct; `message` is for the screen."""


@dataclass(frozen=True)
class IssuedKey:
    """Shown once, right after registration or rotation; never stored in the clear."""
    client_id: int
    key: str
    webhook_secret: str | None = None


def new_key() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    return prefix, f"ct_{prefix}_{secrets.token_urlsafe(32)}"


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()



def register_client(session: Session, user: CurrentUser, name: str, scopes: list[str], *,
                    webhook_url: str = "", rate_per_minute: int = 120, check_url: UrlCheck,
                    seal: Seal) -> IssuedKey:
    """An administrator registers an integration for their office; the key is returned once."""
    user.require(Right.ADMINISTER)
    name = (name or "").strip()
    if not name or len(name) > 255:
        raise ClientError("Vui lòng nhập tên ứng dụng tích hợp (tối đa 255 ký tự).")
    scopes = api_scopes.checked_scopes(scopes, user.office_id)
    if not 1 <= int(rate_per_minute) <= MAX_RATE:
        raise ClientError(f"Giới hạn số lần gọi mỗi phút phải từ 1 đến {MAX_RATE}.")
    prefix, key = new_key()
    client = ApiClient(name=name, office_id=user.office_id, scopes=scopes, key_prefix=prefix,
                       key_hash=key_digest(key), rate_per_minute=int(rate_per_minute),
                       created_by_id=user.account_id)
    secret = _set_webhook(client, webhook_url, check_url, seal)
    session.add(client)
    session.flush()
    audit.record(session, audit.actor_of(user), "api_client_register", target_type="api_client",
                 target_id=client.id, office_id=user.office_id,
                 summary=f"Đăng ký ứng dụng tích hợp «{name}»: {', '.join(scopes)}")
    session.flush()
    return IssuedKey(client.id, key, secret)


def rotate_key(session: Session, user: CurrentUser, client_id: int) -> IssuedKey:
    """A new key; the old one stops working at once."""
    client = _managed(session, user, client_id)
    prefix, key = new_key()
    client.key_prefix, client.key_hash, client.key_rotated_at = prefix, key_digest(key), utcnow()
    audit.record(session, audit.actor_of(user), "api_client_rotate", target_type="api_client",
                 target_id=client.id,
                 office_id=user.office_id, summary=f"Cấp khóa mới cho «{client.name}»")
    session.flush()
    return IssuedKey(client.id, key)


def revoke_client(session: Session, user: CurrentUser, client_id: int) -> ApiClient:
    """The key stops working; deliveries still waiting are cancelled."""
    client = _managed(session, user, client_id)
    client.revoked_at = utcnow()
    waiting = (WebhookDelivery.client_id == client.id) & (WebhookDelivery.status == "pending")
    session.exec(update(WebhookDelivery).where(waiting).values(status="cancelled"))
    audit.record(session, audit.actor_of(user), "api_client_revoke", target_type="api_client",
                 target_id=client.id,
                 office_id=user.office_id, summary=f"Thu hồi khóa của «{client.name}»")
    session.flush()
    return client


def set_webhook(session: Session, user: CurrentUser, client_id: int, webhook_url: str, *,
                check_url: UrlCheck, seal: Seal) -> IssuedKey:
    """Change (or clear) the subscriber URL; a new signing secret is returned once."""
    client = _managed(session, user, client_id)
    if webhook_url and not api_scopes.allows(client.scopes, api_scopes.READ_DOSSIERS):
        raise ClientError("Chỉ ứng dụng có quyền đọc hồ sơ mới nhận được sự kiện.")
    secret = _set_webhook(client, webhook_url, check_url, seal)
    audit.record(session, audit.actor_of(user), "api_client_webhook", target_type="api_client",
                 target_id=client.id,
                 office_id=user.office_id, summary=f"Địa chỉ nhận sự kiện của «{client.name}»: "
                                                   f"{client.webhook_url or 'không có'}")
    session.flush()
    return IssuedKey(client.id, "", secret)


def _set_webhook(client: ApiClient, url: str, check_url: UrlCheck, seal: Seal) -> str | None:
    url = (url or "").strip()
    if not url:
        client.webhook_url, client.webhook_secret_box = None, None
        return None
    if not api_scopes.allows(client.scopes, api_scopes.READ_DOSSIERS):
        raise ClientError("Chỉ ứng dụng có quyền đọc hồ sơ mới nhận được sự kiện.")
    client.webhook_url = check_url(url)
    secret = "whsec_" + secrets.token_urlsafe(32)
    client.webhook_secret_box = seal(secret)
    return secret


def _managed(session: Session, user: CurrentUser, client_id: int) -> ApiClient:
    """A live client this administrator manages (their office's, or one without an office)."""
    user.require(Right.ADMINISTER)
    client = session.get(ApiClient, client_id)
    if client is None or client.office_id not in (None, user.office_id):
        raise ClientError("Không tìm thấy ứng dụng tích hợp.")
    if client.revoked_at is not None:
        raise ClientError("Khóa của ứng dụng này đã bị thu hồi.")
    return client


def clients_of(session: Session, office_id: int | None) -> list[ApiClient]:
    return list(session.exec(select(ApiClient).where(or_(ApiClient.office_id == office_id,
                                                         ApiClient.office_id.is_(None)))
                             .order_by(ApiClient.id)))


def authenticate(session: Session, presented: str | None) -> tuple[ApiClient | None, str]:
    """(client, "") for a live key; else (None, why): "missing", "invalid" or "revoked"."""
    presented = (presented or "").strip()
    if not presented:
        return None, "missing"
    parts = presented.split("_")
    if len(parts) < 3 or parts[0] != "ct" or len(parts[1]) != 8:
        return None, "invalid"
    client = session.exec(select(ApiClient).where(ApiClient.key_prefix == parts[1])).first()
    if client is None or not hmac.compare_digest(client.key_hash, key_digest(presented)):
        return None, "invalid"
    if client.revoked_at is not None:
        return None, "revoked"
    return client, ""


def record_call(session: Session, client_id: int | None, method: str, path: str, status: int,
                addr: str = "") -> None:
    """The API's own audit line for one call (in the caller's unit of work)."""
    session.add(ApiCall(client_id=client_id, method=method[:8], path=path[:255], status=status,
                        client_addr=addr[:64]))
