"""The key store: signing keys and remote-signing secrets kept sealed in the database, per office.

An administrator uploads a PKCS#12 file with its password, or types a CSC client secret or token, once;
both are sealed here with a Fernet key the server operator holds (KEYSTORE_KEY, else
DATA_DIR/keystore.key, 0600), which is never in the database nor in a backup. A signer opens only the
secret its own office's config names (domain.signing_keys.secret_for_signing).
"""
from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import replace
from datetime import UTC

from cryptography.fernet import InvalidToken
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from cryptography.x509.oid import NameOID
from sqlmodel import Session

from app.db import session_scope
from app.outbound import check_url, token
from app.outbox.outbox_secrets import operator_fernet
from domain import admin_office_settings as office_settings
from domain import official_signing
from domain.errors import DomainError
from domain.models import Office
from domain.signing_keys import CertFacts, SealedSecret, names_a_path, office_code, secret_for_signing

KEY_NAME = "keystore.key"
MAX_KEY_BYTES = 200_000  # a PKCS#12 file with its chain is a few kB


class KeyFileError(DomainError):
    """An uploaded key the store cannot take; `message` says why in Vietnamese."""


class StoredKeyMissing(DomainError):
    """A config names a stored secret that is not this office's, or that the operator's key cannot open."""


def _box():
    return operator_fernet("KEYSTORE_KEY", KEY_NAME)


def seal(payload: dict) -> str:
    return _box().encrypt(json.dumps(payload).encode()).decode("ascii")


def open_sealed(sealed: str) -> dict:
    try:
        return json.loads(_box().decrypt(sealed.encode("ascii")))
    except (InvalidToken, ValueError) as exc:
        raise StoredKeyMissing("Không mở được khóa ký đã lưu: khóa của kho khóa (KEYSTORE_KEY hoặc "
                               "DATA_DIR/keystore.key) trên máy chủ đã thay đổi. Vui lòng báo người vận hành "
                               "máy chủ, hoặc tải lại tệp khóa.") from exc


def read_pkcs12(data: bytes, password: str) -> SealedSecret:
    """Check an uploaded .p12/.pfx with its password and seal it; KeyFileError in Vietnamese otherwise."""
    if not data:
        raise KeyFileError("Vui lòng chọn tệp khóa .p12/.pfx.")
    if len(data) > MAX_KEY_BYTES:
        raise KeyFileError("Tệp khóa quá lớn: tệp .p12/.pfx chỉ chứa khóa và chứng thư số (vài kB).")
    try:
        key, cert, _ = pkcs12.load_key_and_certificates(data, password.encode() if password else None)
    except (ValueError, TypeError) as exc:
        raise KeyFileError("Không mở được tệp khóa: mật khẩu không đúng hoặc tệp không phải khóa "
                           "PKCS#12 (.p12/.pfx).") from exc
    if key is None or cert is None:
        raise KeyFileError("Tệp khóa phải chứa cả khóa bí mật và chứng thư số của người ký.")
    facts = CertFacts(
        sha256=hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest(),
        subject=_attribute(cert.subject, NameOID.COMMON_NAME),
        organisation=_attribute(cert.subject, NameOID.ORGANIZATION_NAME),
        not_before=cert.not_valid_before_utc.astimezone(UTC),
        not_after=cert.not_valid_after_utc.astimezone(UTC),
    )
    sealed = seal({"p12": base64.b64encode(data).decode("ascii"), "password": password or ""})
    return SealedSecret("pkcs12", sealed, facts)


def seal_secret(text: str, kind: str) -> SealedSecret:
    """A CSC client secret (kind csc_secret) or access token (csc_token), typed once on the page."""
    return SealedSecret(kind, seal({"secret": text.strip()}))


def _attribute(name, oid) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def pkcs12_material(session: Session, ref, office_id: int, account_id: int | None) -> tuple[bytes, bytes]:
    """The key file and password a config names, only from its own office's (and leader's) store."""
    payload = _payload(session, ref, office_id, account_id, "pkcs12")
    return base64.b64decode(payload["p12"]), payload["password"].encode()


def csc_secret(session: Session, ref, office_id: int, account_id: int | None) -> str:
    return _payload(session, ref, office_id, account_id, "csc")["secret"]


def _payload(session: Session, ref, office_id: int, account_id: int | None, kind: str) -> dict:
    row = secret_for_signing(session, ref, office_id, account_id)
    if row is None or not row.kind.startswith(kind):
        raise StoredKeyMissing("Không tìm thấy khóa ký đã lưu của cơ quan này. Quản trị viên hãy tải lại "
                               "tệp khóa (hoặc nhập lại thông tin ký số từ xa) tại trang cấu hình.")
    return open_sealed(row.sealed)


class LegacyKeyPath(DomainError):
    """A config saved before keys moved into the store: it names files on the server."""


LEGACY_TEXT = ("Khóa ký của {whose} đang được khai báo bằng đường dẫn tệp trên máy chủ; cách này không còn "
               "được dùng. Quản trị viên hãy tải tệp khóa .p12 lên (hoặc chọn thiết bị ký số, nhập lại thông "
               "tin ký số từ xa) tại trang cấu hình; người vận hành có thể chạy «python main.py migrate» để "
               "chuyển khóa cũ vào kho khóa.")


def runtime_config(stored: dict, office_id: int, account_id: int | None, whose: str) -> dict:
    """What the signer factory needs for a stored config: the sealed key opened, the operator's token
    entry, the remote service checked against the allow-list — each only for the config's own office."""
    kind = stored.get("kind")
    if names_a_path(stored):
        raise LegacyKeyPath(LEGACY_TEXT.format(whose=whose))
    with session_scope() as session:
        if kind == "pkcs12":
            data, password = pkcs12_material(session, stored.get("key_ref"), office_id, account_id)
            return {"kind": "pkcs12", "data": data, "password": password}
        if kind == "pkcs11":
            office = session.get(Office, office_id)
            entry = token(str(stored.get("token", "")), office_code(session, office)) if office else None
            if entry is None:
                raise StoredKeyMissing(f"Thiết bị ký số «{stored.get('token', '')}» không còn được người vận "
                                       "hành máy chủ khai báo cho cơ quan này.")
            return {"kind": "pkcs11", **{k: entry[k] for k in ("module", "token_label", "key_label",
                                                                 "cert_label", "pin_file") if entry.get(k)}}
        if kind == "csc":
            check_url(str(stored.get("service_url", "")), "Ký số từ xa")
            secret = csc_secret(session, stored.get("secret_ref"), office_id, account_id)
            key = "token" if stored.get("secret_kind") == "csc_token" else "client_secret"
            return {k: v for k, v in stored.items() if k not in ("secret_ref", "secret_kind")} | {key: secret}
    return dict(stored)


def seal_uploads(cfg: dict) -> dict:
    """The signing form's entries made storable: the key file read and sealed (its certificate's facts
    kept for the office's rules), secrets sealed; anything else the form did not ask for is dropped."""
    kind = cfg.get("kind") or "demo"
    if kind == "pkcs12":
        data = cfg.get("p12") or b""
        return {"kind": kind, "upload": read_pkcs12(data, str(cfg.get("password") or "")) if data else None}
    if kind == "pkcs11":
        return {"kind": kind, "token": str(cfg.get("token") or "")}
    if kind == "csc":
        secret = None
        if str(cfg.get("token") or "").strip():
            secret = seal_secret(str(cfg["token"]), "csc_token")
        elif str(cfg.get("client_secret") or "").strip():
            secret = seal_secret(str(cfg["client_secret"]), "csc_secret")
        return {"kind": kind, "secret": secret,
                **{k: str(cfg.get(k) or "") for k in ("service_url", "credential_id", "client_id")}}
    return {"kind": kind, "key_id": cfg.get("key_id")} if kind == "demo" else {"kind": kind}


def update_office_settings(session: Session, user, settings):
    """'Lưu cấu hình': the signing key sealed first, in the action's thread."""
    return office_settings.update_office_settings(
        session, user, replace(settings, signing_config=seal_uploads(settings.signing_config or {})))


def set_official_signing(session: Session, user, account_id: int, cfg: dict):
    return official_signing.set_official_signing(session, user, account_id, seal_uploads(cfg))
