"""Secrets in the SMS outbox (issue 12.2): OTP codes and temporary passwords are never in the database
in clear, are wiped once sent or expired, masked outside demo mode, and never in a backup."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import tarfile
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from sqlmodel import select

from app.db import dispose_engine, session_scope, write_scope
from app.outbox import sms
from app.settings import get_settings
from domain import administration as adm
from domain.access import load_current_user
from domain.audit import actor_of
from domain.clock import utcnow
from domain.models import Account, SmsMessage
from domain.password_reset import request_reset
from domain.sms import shown_text
from tests.support.sms import sms_text


def admin():
    with session_scope() as s:
        account = s.exec(select(Account).where(Account.username == "admin")).one()
        user = replace(load_current_user(s, account), client_addr="127.0.0.1")
        return user, actor_of(user)


def create_official() -> tuple[SmsMessage, str]:
    user, actor = admin()
    with write_scope() as s:
        adm.create_official(s, user, adm.OfficialInput(
            username="tuphap", full_name="Vũ Thị Tư Pháp", id_number="001090001234", phone="0912000111",
            email="", unit_id=None))
    with session_scope() as s:
        message = s.exec(select(SmsMessage).where(SmsMessage.purpose == "official_password")).one()
    return message, sms_text(message).split("mat khau ")[1].split(".")[0]


def reset_code() -> tuple[SmsMessage, str]:
    with write_scope() as s:
        message_id = request_reset(s, "001099012345", "0987654321", "10.0.0.1", utcnow())
    with session_scope() as s:
        message = s.get(SmsMessage, message_id)
    text = sms_text(message)
    return message, next(w for w in text.replace(".", " ").split() if len(w) == 6 and w.isdigit())


def raw_database() -> bytes:
    db = get_settings().data_dir / "chungthuc.db"
    return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal")) if p.exists())


def test_password_and_otp_sms_bodies_hold_no_secret_in_clear(demo_db):
    message, password = create_official()
    otp_message, code = reset_code()
    assert len(password) == 12 and password not in message.body and code not in otp_message.body
    dispose_engine()  # everything on disk
    raw = raw_database()
    assert password.encode() not in raw and code.encode() not in raw
    assert (get_settings().data_dir / "outbox.key").stat().st_mode & 0o777 == 0o600


def test_masking_outside_demo_hides_both_kinds_of_secret(demo_db):
    message, password = create_official()
    otp_message, code = reset_code()
    assert password not in shown_text(message, demo=False) and "tuphap" in shown_text(message, demo=False)
    assert code not in shown_text(otp_message, demo=False)
    assert password in shown_text(message, demo=True)  # the demo's "phone"
    legacy = SmsMessage(phone="0912000111", purpose="official_password", body=(
        "Tai khoan Chung thuc dien tu: ten dang nhap tuphap, mat khau Ab3dEf7hJk9m. Vui long doi mat khau."))
    assert "Ab3dEf7hJk9m" not in shown_text(legacy, demo=False)  # the form the old mask missed


class Phone:
    def __init__(self):
        self.received: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.received.append((phone, text))


def test_secret_is_wiped_once_sent_by_a_real_gateway(demo_db):
    message, password = create_official()
    phone = Phone()
    assert sms.deliver_pending_sms(phone) == 1
    assert password in phone.received[0][1]  # the phone got it in clear
    with session_scope() as s:
        row = s.get(SmsMessage, message.id)
        assert row.status == "sent" and row.secret_box is None
        assert password not in shown_text(row, demo=True)


def test_demo_outbox_keeps_the_secret_until_it_expires_then_wipes_it(demo_db):
    otp_message, code = reset_code()
    assert sms.deliver_pending_sms() == 1  # SMS_ADAPTER=outbox in demo mode
    with session_scope() as s:
        assert code in shown_text(s.get(SmsMessage, otp_message.id), demo=True)
    sms.wipe_expired_secrets(now=utcnow() + timedelta(minutes=6))
    with session_scope() as s:
        row = s.get(SmsMessage, otp_message.id)
        assert row.secret_box is None and code not in shown_text(row, demo=True)


def test_unsent_secret_expires_and_the_message_fails_with_a_reason(demo_db):
    message, _ = create_official()
    sms.wipe_expired_secrets(now=utcnow() + timedelta(hours=71))
    with session_scope() as s:
        assert s.get(SmsMessage, message.id).secret_box is not None  # a temporary password lasts 72 h
    sms.wipe_expired_secrets(now=utcnow() + timedelta(hours=73))
    with session_scope() as s:
        row = s.get(SmsMessage, message.id)
        assert (row.status, row.secret_box) == ("failed", None) and "hết hạn" in row.last_error


def test_backup_carries_no_secret_and_no_key(demo_db, tmp_path):
    from app.backup import backup

    message, password = create_official()
    target = tmp_path / "b.tar.gz"
    backup(target)
    with tarfile.open(target) as tar:
        names = tar.getnames()
        assert not any("outbox.key" in n for n in names)
        tar.extract("database/chungthuc.db", tmp_path / "x", filter="data")
    db = sqlite3.connect(tmp_path / "x" / "database" / "chungthuc.db")
    assert db.execute("SELECT count(*) FROM smsmessage WHERE secret_box IS NOT NULL").fetchone()[0] == 0
    db.close()
    assert password.encode() not in (tmp_path / "x" / "database" / "chungthuc.db").read_bytes()


def test_cli_outbox_masks_secrets_outside_demo_mode(demo_db, monkeypatch):
    message, password = create_official()
    env = {"DATA_DIR": str(get_settings().data_dir), "DEMO": "0", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "main.py", "sms-outbox"], capture_output=True, text=True, env=env,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert "tuphap" in out.stdout and password not in out.stdout


def test_stale_sending_rows_of_both_kinds_wait_the_same_grace(demo_db):
    from app.outbox.mailer import recover_interrupted as recover_email
    from domain.models import EmailMessage

    now = utcnow()
    with write_scope() as s:
        fresh = SmsMessage(phone="0912000111", body="x", status="sending", claimed_at=now)
        old = SmsMessage(
            phone="0912000112", body="y", status="sending", claimed_at=now - timedelta(minutes=6)
        )
        mail_fresh = EmailMessage(to_addr="a@example.test", subject="s", body="b", status="sending",
                                  next_attempt_at=now)
        s.add_all([fresh, old, mail_fresh])
        s.commit()
        ids = fresh.id, old.id, mail_fresh.id
    assert sms.recover_interrupted() == 1 and recover_email() == 0
    with session_scope() as s:
        assert s.get(SmsMessage, ids[0]).status == "sending"  # another instance may be sending it now
        assert s.get(SmsMessage, ids[1]).status == "retrying"
        assert s.get(EmailMessage, ids[2]).status == "sending"

