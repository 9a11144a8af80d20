"""Issue 34 point 1: signing settings of older versions named files on the server. `main.py migrate` (run by
the server operator, who may read them) moves them into the key store under the upload's rules; what it
cannot move stays refused at signing with instructions, and the operator is told why."""
from __future__ import annotations

import pytest
from sqlmodel import select

from app.cli import main as cli_main
from app.db import session_scope, write_scope
from app.demo import OFFICE_NAME
from app.signing import keystore
from app.signing.resolve import demo_pki, office_signing_config
from domain.models import Account, AuditEvent, Office, SigningSecret


def _set_legacy(office_cfg: dict, leader_cfg: dict) -> None:
    with write_scope() as s:
        s.exec(select(Office)).one().signing_config = office_cfg
        s.exec(select(Account).where(Account.username == "lanhdao")).one().signing_config = leader_cfg
        s.commit()


def test_migrate_moves_path_settings_into_the_key_store_or_says_why_not(db_url, tmp_path, capsys):
    pki = demo_pki()
    pki.issue_office("legacy-office", OFFICE_NAME)
    pki.issue_person("legacy-other", "Người Khác", "Chủ tịch", "UBND xã Khác")
    password = tmp_path / "p12.secret"
    password.write_bytes(pki.p12_password() + b"\n")
    legacy = {"kind": "pkcs12", "password_file": str(password)}
    _set_legacy(legacy | {"path": str(pki.p12_path("legacy-office"))},
                legacy | {"path": str(pki.p12_path("legacy-other"))})
    with session_scope() as s, pytest.raises(keystore.LegacyKeyPath, match="đường dẫn tệp trên máy chủ"):
        office_signing_config(s.exec(select(Office)).one())

    assert cli_main(["migrate"], serve=lambda: None) == 0
    out = capsys.readouterr().out
    assert f"Đã chuyển khóa của cơ quan «{OFFICE_NAME}» vào kho khóa." in out
    assert "Chưa chuyển khóa: người ký «lanhdao»: chứng thư số cấp cho «UBND xã Khác»" in out
    with session_scope() as s:
        office = s.exec(select(Office)).one()
        leader = s.exec(select(Account).where(Account.username == "lanhdao")).one()
        assert set(office.signing_config) == {"kind", "key_ref", "subject"}
        assert s.get(SigningSecret, office.signing_config["key_ref"]).office_id == office.id
        assert leader.signing_config["path"]  # left as it was: it still refuses to sign
        assert s.exec(select(AuditEvent).where(AuditEvent.action == "import_signing_key")).first()
        cfg = office_signing_config(office)
    assert cfg["data"] == pki.p12_path("legacy-office").read_bytes()
