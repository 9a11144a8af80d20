"""Which key signs for an office or one of its leaders: the rules an administrator's choice must meet.

Keys belong to their office (issue 34). A PKCS#12 key or a remote-signing secret is handed to the
product through the page and kept sealed (the app's key store); a PKCS#11 token is one the server
operator listed for this office; a remote-signing service is an address the operator allows. No setting
names a file or a path on the server, so no administrator can point at another office's key or make the
server read one of its files. A certificate must name the office as its organisation, and a certificate
one office uses is refused to every other.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlmodel import Session, select

from domain import audit
from domain.access import CurrentUser
from domain.admin_scope import admin_office
from domain.audit import Actor
from domain.clock import utcnow
from domain.models import Account, Office, SigningSecret, Unit

SIGNING_KINDS = {"demo": "Khóa demo (chỉ để thử nghiệm)", "pkcs12": "Tệp khóa PKCS#12 (.p12/.pfx)",
                 "pkcs11": "Thiết bị ký số PKCS#11 (USB token, HSM)",
                 "csc": "Ký số từ xa (dịch vụ của CA theo chuẩn CSC)"}
# Settings that named files on the server before issue 34; a stored config with one is refused.
PATH_KEYS = ("path", "password_file", "pin_file", "client_secret_file", "token_file", "module")


@dataclass(frozen=True)
class CertFacts:
    sha256: str
    subject: str
    organisation: str
    not_before: datetime
    not_after: datetime


@dataclass(frozen=True)
class SealedSecret:
    """What the app's key store made of an upload: `sealed` opens only with the operator's key."""
    kind: str  # pkcs12 | csc_secret | csc_token
    sealed: str
    cert: CertFacts | None = None


class OperatorPolicy(Protocol):
    def tokens_for(self, office_code: str) -> dict[str, str]:
        """The PKCS#11 tokens the operator listed for this office: name → what to show."""

    def url_problem(self, url: str) -> str | None:
        """Why the server may not call `url` (Vietnamese), or None."""


class _NoPolicy:
    def tokens_for(self, office_code: str) -> dict[str, str]:
        return {}

    def url_problem(self, url: str) -> str | None:
        return "Máy chủ chưa được cấu hình danh sách địa chỉ được phép gọi ra ngoài."


_policy: OperatorPolicy = _NoPolicy()


def use_operator_policy(policy: OperatorPolicy) -> None:
    """The app installs the operator's policy (environment, files) once, at import time."""
    global _policy
    _policy = policy


def operator_policy() -> OperatorPolicy:
    return _policy


def office_code(session: Session, office: Office) -> str:
    unit = session.get(Unit, office.unit_id)
    return unit.code if unit else ""


def organisation_matches(organisation: str, office_name: str) -> bool:
    """The certificate's O names the office (case, spacing, accents' composition and "Ủy ban nhân dân"
    written out or as UBND do not matter)."""
    return bool(organisation) and _org_form(organisation) == _org_form(office_name)


def _org_form(text: str) -> str:
    text = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return re.sub(r"[ủu][ỷy] ban nhân dân", "ubnd", text.replace("uỷ", "ủy"))


def clean_signing(session: Session, office: Office, cfg: dict, current: dict, problems: list[str], *,
                  who: str, account_id: int | None = None, actor_id: int | None = None) -> dict:
    """The config to store for the office's seal (account_id None) or a leader's key; a new secret is
    added to the session (in the caller's unit of work). Problems are appended in Vietnamese."""
    kind = cfg.get("kind") or "demo"
    if kind not in SIGNING_KINDS:
        problems.append("Loại chữ ký số không hợp lệ.")
        return dict(current)
    if kind == "demo":
        key_id = current.get("key_id") if current.get("kind") == "demo" else None
        return {"kind": "demo", "key_id": cfg.get("key_id") or key_id or "office"}
    if kind == "pkcs12":
        return _pkcs12(session, office, cfg, current, problems, who, account_id, actor_id)
    if kind == "pkcs11":
        name = str(cfg.get("token") or "").strip()
        tokens = _policy.tokens_for(office_code(session, office))
        if name not in tokens:
            problems.append(f"{who}: vui lòng chọn một thiết bị ký số mà người vận hành máy chủ đã khai báo "
                            "cho cơ quan này.")
            return dict(current)
        return {"kind": "pkcs11", "token": name}
    return _csc(session, office, cfg, current, problems, who, account_id, actor_id)


def _pkcs12(session, office, cfg, current, problems, who, account_id, actor_id) -> dict:
    upload: SealedSecret | None = cfg.get("upload")
    if upload is None:
        if current.get("kind") == "pkcs12" and _own_secret(session, office, current.get("key_ref"),
                                                           account_id):
            return {key: current[key] for key in ("kind", "key_ref", "subject") if key in current}
        problems.append(f"{who}: vui lòng tải lên tệp khóa .p12/.pfx và nhập mật khẩu của tệp.")
        return dict(current)
    cert = upload.cert
    if cert is None:
        problems.append(f"{who}: tệp khóa không có chứng thư số.")
        return dict(current)
    if not organisation_matches(cert.organisation, office.name):
        problems.append(f"{who}: chứng thư số cấp cho «{cert.organisation or 'không ghi tổ chức'}», "
                        f"không phải cho «{office.name}». Chỉ dùng được khóa cấp cho chính cơ quan này.")
    now = utcnow()
    if not cert.not_before <= now <= cert.not_after:
        problems.append(f"{who}: chứng thư số không còn hoặc chưa có hiệu lực "
                        f"(hiệu lực đến {cert.not_after:%d/%m/%Y}).")
    if _used_elsewhere(session, office.id, cert.sha256):
        problems.append(f"{who}: chứng thư số này đã được một cơ quan khác sử dụng; "
                        "mỗi cơ quan dùng khóa của mình.")
    if problems:
        return dict(current)
    row = _add(session, office, upload, account_id, actor_id)
    return {"kind": "pkcs12", "key_ref": row.id, "subject": cert.subject}


def _csc(session, office, cfg, current, problems, who, account_id, actor_id) -> dict:
    service_url = str(cfg.get("service_url") or "").strip().rstrip("/")
    credential_id = str(cfg.get("credential_id") or "").strip()
    client_id = str(cfg.get("client_id") or "").strip()
    if not service_url:
        problems.append(f"{who}: vui lòng nhập «Địa chỉ dịch vụ ký số từ xa».")
    elif (problem := _policy.url_problem(service_url)) is not None:
        problems.append(f"{who}: {problem}")
    if not credential_id:
        problems.append(f"{who}: vui lòng nhập «Mã chứng thư trên dịch vụ (credential ID)».")
    secret: SealedSecret | None = cfg.get("secret")
    kept = current.get("kind") == "csc" and _own_secret(session, office, current.get("secret_ref"),
                                                        account_id)
    if secret is None and not kept:
        problems.append(f"{who}: cần «Client ID» và «Client secret», hoặc «Access token».")
    if secret is not None and secret.kind == "csc_secret" and not client_id:
        problems.append(f"{who}: vui lòng nhập «Client ID» đi kèm client secret.")
    if problems:
        return dict(current)
    result = {"kind": "csc", "service_url": service_url, "credential_id": credential_id}
    if client_id:
        result["client_id"] = client_id
    if secret is not None:
        row = _add(session, office, secret, account_id, actor_id)
        result.update(secret_ref=row.id, secret_kind=secret.kind)
    else:
        result.update(secret_ref=current["secret_ref"], secret_kind=current.get("secret_kind", "csc_secret"))
    return result


def _own_secret(session: Session, office: Office, ref, account_id: int | None) -> bool:
    row = session.get(SigningSecret, ref) if isinstance(ref, int) else None
    return row is not None and row.office_id == office.id and row.account_id == account_id


def _used_elsewhere(session: Session, office_id: int, sha256: str) -> bool:
    query = select(SigningSecret.id).where(SigningSecret.cert_sha256 == sha256,
                                           SigningSecret.office_id != office_id)
    return session.exec(query).first() is not None


def _add(session: Session, office: Office, secret: SealedSecret, account_id, actor_id) -> SigningSecret:
    cert = secret.cert
    row = SigningSecret(office_id=office.id, account_id=account_id, kind=secret.kind, sealed=secret.sealed,
                        cert_sha256=cert.sha256 if cert else "", subject=cert.subject[:255] if cert else "",
                        organisation=cert.organisation[:255] if cert else "",
                        not_after=cert.not_after if cert else None, created_by_id=actor_id)
    session.add(row)
    session.flush()
    return row


def secret_for_signing(session: Session, ref, office_id: int, account_id: int | None) -> SigningSecret | None:
    """The stored secret a config names, only if it belongs to that office (and leader): a config copied
    from another office's row into this one's opens nothing."""
    row = session.get(SigningSecret, ref) if isinstance(ref, int) else None
    if row is None or row.office_id != office_id or row.account_id != account_id:
        return None
    return row


def names_a_path(cfg: dict | None) -> bool:
    return any((cfg or {}).get(key) for key in PATH_KEYS)


def token_choices(session: Session, user: CurrentUser) -> dict[str, str]:
    """The PKCS#11 tokens the operator listed for the administrator's office (for the form's list)."""
    return _policy.tokens_for(office_code(session, admin_office(session, user)))


def store_moved_key(session: Session, office_id: int, account_id: int | None, cfg: dict, whose: str,
                    actor: Actor) -> str | None:
    """A key setting of an older version, read and sealed by the operator's `main.py migrate`, stored under
    the upload's rules for the office (account_id None) or a leader. Returns why not, or None."""
    office = session.get(Office, office_id)
    holder = session.get(Account, account_id) if account_id is not None else office
    problems: list[str] = []
    clean = clean_signing(session, office, cfg, {}, problems, who=whose, account_id=account_id)
    if problems:
        session.rollback()
        return " ".join(problems)
    holder.signing_config = clean
    session.add(holder)
    audit.record(session, actor, "import_signing_key", target_type="office", target_id=office.id,
                 office_id=office.id, summary=f"Chuyển khóa ký của {whose} vào kho khóa")
    session.flush()
    return None
