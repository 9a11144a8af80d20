"""Dossier events: written by each use case in the transaction of the change it reports, with one
pending delivery per subscribed client (the webhook outbox). The API's dossier history and its
"changed since" cursor read the same rows.

A use case adds one line before its commit: `webhook_events.record(session, dossier, webhook_events.SIGNED)`.
"""
from __future__ import annotations

import uuid

from sqlalchemy import func
from sqlmodel import Session, select

from domain import api_scopes, workflow
from domain.clock import utcnow
from domain.models import ApiClient, Dossier, DossierEvent, Office, RegisterEntry, Unit, WebhookDelivery
from domain.portal_codes import (  # noqa: F401 — the kinds are re-exported for the one-line calls
    DELIVERED,
    EVENT_KINDS,
    FEE_PAID,
    RECEIVED,
    REFUSED,
    RETURNED,
    SEALED,
    SIGNED,
    SUBMITTED,
    portal_status,
)
from domain.refusal import REFUSAL_GROUNDS, ground_citation

EVENT_LABELS: dict[str, str] = {
    RECEIVED: "Tiếp nhận hồ sơ",
    FEE_PAID: "Nộp phí",
    SUBMITTED: "Trình lãnh đạo ký",
    RETURNED: "Trả lại để bổ sung, chỉnh sửa",
    SIGNED: "Lãnh đạo đã ký",
    SEALED: "Đóng dấu, cấp số chứng thực",
    DELIVERED: "Đã gửi bản sao cho người yêu cầu",
    REFUSED: "Từ chối chứng thực",
}


def record(session: Session, dossier: Dossier, kind: str, **data) -> DossierEvent:
    """Add the event and its deliveries in the caller's transaction (in the caller's unit of work)."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown dossier event {kind!r}")
    session.flush()  # the dossier (and a seal's register entries) need their ids
    office = session.get(Office, dossier.office_id)
    now = utcnow()
    event = DossierEvent(event_id=str(uuid.uuid4()), dossier_id=dossier.id, office_id=dossier.office_id,
                         kind=kind, at=now, payload={})
    session.add(event)
    session.flush()
    event.payload = _payload(session, event, dossier, office, data)
    for client in subscribers(session, dossier.office_id):
        session.add(WebhookDelivery(event_id=event.id, client_id=client.id, dossier_id=dossier.id,
                                    next_attempt_at=now))
    return event


def record_delivered(session: Session, dossier_id: int | None, channel: str) -> DossierEvent | None:
    """C13: an issued dossier's copy reached the requester (the mail outbox sent it). A message about a
    dossier not issued (a refusal notice) is no delivery of a result."""
    dossier = session.get(Dossier, dossier_id) if dossier_id is not None else None
    if dossier is None or dossier.state != workflow.ISSUED:
        return None
    return record(session, dossier, DELIVERED, channel=channel)


def subscribers(session: Session, office_id: int) -> list[ApiClient]:
    """Live clients of this office that read its dossiers and have a subscriber URL."""
    clients = session.exec(select(ApiClient).where(ApiClient.office_id == office_id,
                                                   ApiClient.revoked_at.is_(None),
                                                   ApiClient.webhook_url.is_not(None))).all()
    return [c for c in clients if api_scopes.allows(c.scopes, api_scopes.READ_DOSSIERS)]


def _payload(session: Session, event: DossierEvent, dossier: Dossier, office: Office | None,
             data: dict) -> dict:
    """What a subscriber receives: the event, the dossier's code and office, no personal data."""
    body = {
        "event_id": event.event_id,
        "sequence": event.id,
        "type": event.kind,
        "label": EVENT_LABELS[event.kind],
        "occurred_at": event.at.isoformat(),
        "portal_status": portal_status(event.kind),
        "dossier": {"code": dossier.code, "state": dossier.state, "office": office.name if office else "",
                    "office_code": office_code(session, office)},
        "data": dict(data),
    }
    if event.kind == SEALED:
        body["data"]["copies"] = [
            {"certification_number": e.number_text, "book": e.book, "verify_code": e.verify_code}
            for e in session.exec(select(RegisterEntry).where(RegisterEntry.dossier_id == dossier.id)
                                  .order_by(RegisterEntry.number))]
    if event.kind == REFUSED:
        body["data"]["grounds"] = [
            {"code": g, "text": REFUSAL_GROUNDS[g], "legal_basis": ground_citation(g)}
            for g in dossier.refusal_grounds or [] if g in REFUSAL_GROUNDS]
    return body


def office_code(session: Session, office: Office | None) -> str:
    """The office's identifier code (mã định danh) is its unit's."""
    unit = session.get(Unit, office.unit_id) if office is not None else None
    return unit.code if unit is not None else ""


def history(session: Session, dossier_id: int) -> list[DossierEvent]:
    return list(session.exec(select(DossierEvent).where(DossierEvent.dossier_id == dossier_id)
                             .order_by(DossierEvent.id)))


def changed_since(session: Session, office_id: int, cursor: int, limit: int) -> list[tuple[int, int]]:
    """(dossier id, its latest event id) of the office's dossiers with an event after `cursor`, in the
    order of those latest events, at most `limit`."""
    latest = func.max(DossierEvent.id)
    rows = session.exec(select(DossierEvent.dossier_id, latest).where(DossierEvent.office_id == office_id,
                                                                      DossierEvent.id > cursor)
                        .group_by(DossierEvent.dossier_id).order_by(latest).limit(limit)).all()
    return [(int(d), int(e)) for d, e in rows]
