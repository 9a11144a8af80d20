"""Upgrading masks the secrets older versions left in clear in the SMS outbox (issue 12.2)."""
from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from app.db import MIGRATIONS_DIR, get_engine
from app.settings import get_settings


def test_upgrade_masks_secrets_stored_in_clear_and_fails_unsent_ones(app_env):
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", get_settings().database_url)
    command.upgrade(cfg, "0001")
    rows = [
        (
            "0912000111",
            "Tai khoan Chung thuc dien tu: ten dang nhap tuphap, mat khau Ab3dEf7hJk9m. Vui long "
            "doi mat khau khi dang nhap lan dau.",
            "official_password",
            "sent",
        ),
        (
            "0987654321",
            "Ma OTP dat lai mat khau Chung thuc dien tu la 482913. Ma co hieu luc 5 phut.",
            "otp_reset_password",
            "queued",
        ),
        ("0987654321", "Ho so HS-1 da co ket qua.", "notice", "sent"),
    ]
    with get_engine().begin() as conn:
        for phone, body, purpose, status in rows:
            conn.execute(
                sa.text(
                    "INSERT INTO smsmessage (phone, body, purpose, status, attempts, last_error, "
                    "created_at) VALUES (:p, :b, :u, :s, 0, '', '2026-01-01 00:00:00')"
                ),
                {"p": phone, "b": body, "u": purpose, "s": status},
            )
    command.upgrade(cfg, "head")
    with get_engine().connect() as conn:
        got = conn.execute(sa.text("SELECT body, status FROM smsmessage ORDER BY id")).all()
    assert "Ab3dEf7hJk9m" not in got[0][0] and "tuphap" in got[0][0] and got[0][1] == "sent"
    assert "482913" not in got[1][0] and got[1][1] == "failed"
    assert got[2] == ("Ho so HS-1 da co ket qua.", "sent")
