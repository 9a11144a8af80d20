"""`python main.py sms-outbox [--last N]`: the latest SMS in the outbox; secrets are masked unless DEMO=1 (and
then shown only while they last: they are wiped once expired)."""
from __future__ import annotations

from sqlmodel import select

from app.db import migrate, session_scope
from app.settings import get_settings
from domain.clock import format_local
from domain.models import SmsMessage
from domain.sms import shown_text

STATUS_VI = {"queued": "chờ gửi", "sending": "đang gửi", "sent": "đã gửi", "retrying": "gửi lại",
             "failed": "lỗi"}


def sms_outbox_command(last: int = 10) -> int:
    migrate()
    demo = get_settings().demo
    with session_scope() as session:
        rows = session.exec(select(SmsMessage).order_by(SmsMessage.id.desc()).limit(max(1, last))).all()
    if not rows:
        print("Hộp thư SMS trống.")
        return 0
    for row in reversed(rows):
        body = shown_text(row, demo=demo)
        status = STATUS_VI.get(row.status, row.status)
        extra = f" (lần thử {row.attempts}: {row.last_error})" if row.last_error else ""
        print(
            f"#{row.id} {format_local(row.created_at, '%d/%m/%Y %H:%M:%S')} → {row.phone} [{status}]{extra}"
        )
        print(f"    {body}")
    return 0
