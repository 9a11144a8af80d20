"""Administration screens: who holds which right in an office, the steps nobody holds, the demo SMS box."""
from __future__ import annotations

from sqlmodel import select

from app.db import session_scope
from domain.administration import office_right_gaps, right_holders
from domain.models import SmsMessage
from domain.phone import phone_search_key

SMS_LIMIT = 100


def holders(office_id: int | None) -> dict[str, list[str]]:
    with session_scope() as session:
        return right_holders(session, office_id)


def right_gaps(office_id: int) -> list[str]:
    with session_scope() as session:
        return office_right_gaps(session, office_id)


def office_sms(office_id: int | None, phone_filter: str, limit: int = SMS_LIMIT) -> list[SmsMessage]:
    """The office's latest SMS, newest first; none at all without an office (a row of no office is
    nobody's to see)."""
    if office_id is None:
        return []
    query = (
        select(SmsMessage)
        .where(SmsMessage.office_id == office_id)
        .order_by(SmsMessage.id.desc())
        .limit(limit)
    )
    phone = phone_search_key(phone_filter or "")
    if phone:
        query = query.where(SmsMessage.phone == phone)
    with session_scope() as session:
        return list(session.exec(query).all())
