"""`main.py migrate`: signing settings saved before the key store (paths of files on the server) are moved
into it by the server operator, who may read those files, under the same rules as an upload: the
certificate must name the office and be used by no other office. What cannot be moved is left as it
was (signing then refuses with instructions) and a line says what the operator should do."""
from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from app.db import session_scope, write_scope
from app.signing.keystore import read_pkcs12, seal_secret
from domain.audit import Actor
from domain.errors import DomainError
from domain.models import Account, Office
from domain.signing_keys import names_a_path, store_moved_key

OPERATOR = Actor(None, "Người vận hành máy chủ (migrate)")


def import_legacy_keys() -> list[str]:
    """Move every path-based signing config into the key store; one line per config found. The files are
    read outside any transaction; each move is its own short one."""
    return [_move(*holder) for holder in _legacy_holders()]


def _legacy_holders() -> list[tuple[int, int | None, dict, str]]:
    """(office id, leader's account id or None, old config, whose) of every config naming a path."""
    with session_scope() as session:
        found = [(o.id, None, dict(o.signing_config), f"cơ quan «{o.name}»")
                 for o in session.exec(select(Office)).all() if names_a_path(o.signing_config)]
        found += [(a.office_id, a.id, dict(a.signing_config), f"người ký «{a.username}»")
                  for a in session.exec(select(Account).where(Account.kind == "official")).all()
                  if a.office_id is not None and names_a_path(a.signing_config)]
    return found


def _move(office_id: int, account_id: int | None, old: dict, whose: str) -> str:
    try:
        cfg = _sealed(old)
    except (OSError, DomainError) as exc:
        text = exc.message if isinstance(exc, DomainError) else f"không đọc được tệp ({exc.strerror})"
        return f"Chưa chuyển khóa của {whose}: {text}. Hãy tải khóa lên tại trang cấu hình."
    if cfg is None:
        return (f"Chưa chuyển khóa của {whose}: thiết bị PKCS#11 cần được khai báo trong PKCS11_TOKENS "
                f"(module {old.get('module')}, token {old.get('token_label')}), "
                "rồi chọn lại trên trang cấu hình.")
    with write_scope() as session:
        problem = store_moved_key(session, office_id, account_id, cfg, whose, OPERATOR)
    return f"Chưa chuyển khóa: {problem}" if problem else f"Đã chuyển khóa của {whose} vào kho khóa."


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
