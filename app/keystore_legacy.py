"""`main.py migrate`: signing settings saved before the key store (paths of files on the server) are moved
into it by the server operator, who may read those files, under the same rules as an upload: the
certificate must name the office and be used by no other office. What cannot be moved is left as it
was (signing then refuses with instructions) and a line says what the operator should do."""
from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from app.db import write_scope
from app.keystore import read_pkcs12, seal_secret
from domain import audit
from domain.audit import Actor
from domain.errors import DomainError
from domain.models import Account, Office
from domain.signing_keys import clean_signing, names_a_path

OPERATOR = Actor(None, "Người vận hành máy chủ (migrate)")


def import_legacy_keys() -> list[str]:
    """Move every path-based signing config into the key store; one line per config found."""
    lines = []
    with write_scope() as session:
        for office in session.exec(select(Office)).all():
            if names_a_path(office.signing_config):
                lines.append(_move(session, office, office, None, f"cơ quan «{office.name}»"))
        for account in session.exec(select(Account).where(Account.kind == "official")).all():
            if names_a_path(account.signing_config) and account.office_id is not None:
                office = session.get(Office, account.office_id)
                lines.append(_move(session, office, account, account.id, f"người ký «{account.username}»"))
        session.commit()
    return lines


def _move(session, office: Office, holder, account_id: int | None, whose: str) -> str:
    old = dict(holder.signing_config)
    try:
        cfg = _sealed(old)
    except (OSError, DomainError) as exc:
        text = exc.message if isinstance(exc, DomainError) else f"không đọc được tệp ({exc.strerror})"
        return f"Chưa chuyển khóa của {whose}: {text}. Hãy tải khóa lên tại trang cấu hình."
    if cfg is None:
        return (f"Chưa chuyển khóa của {whose}: thiết bị PKCS#11 cần được khai báo trong PKCS11_TOKENS "
                f"(module {old.get('module')}, token {old.get('token_label')}), "
                "rồi chọn lại trên trang cấu hình.")
    problems: list[str] = []
    clean = clean_signing(session, office, cfg, {}, problems, who=whose, account_id=account_id)
    if problems:
        return "Chưa chuyển khóa: " + " ".join(problems)
    holder.signing_config = clean
    session.add(holder)
    audit.record(session, OPERATOR, "import_signing_key", target_type="office", target_id=office.id,
                 office_id=office.id, summary=f"Chuyển khóa ký của {whose} vào kho khóa")
    return f"Đã chuyển khóa của {whose} vào kho khóa."


def _sealed(old: dict) -> dict | None:
    kind = old.get("kind")
    if kind == "pkcs12":
        password = _read(old["password_file"]) if old.get("password_file") else str(old.get("password") or "")
        return {"kind": kind, "upload": read_pkcs12(Path(old["path"]).read_bytes(), password)}
    if kind == "csc":
        if old.get("token_file"):
            secret = seal_secret(_read(old["token_file"]), "csc_token")
        else:
            secret = seal_secret(_read(old["client_secret_file"]), "csc_secret")
        return {k: old.get(k, "") for k in ("kind", "service_url", "credential_id", "client_id")} | {
            "secret": secret}
    return None


def _read(path: str) -> str:
    return Path(path).read_text(encoding="utf-8").strip()
