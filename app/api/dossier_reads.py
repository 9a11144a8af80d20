"""The read side of the API's dossier routes: one office's dossiers, their events and result files.
Each function opens its own read session; a dossier of another office is simply not found."""
from __future__ import annotations

from sqlmodel import Session, select

from app import files
from app.api.schemas import DossierDetail, DossierEventOut, DossierSummary, RefusalGround, ResultCopy
from app.db import session_scope
from app.signing import certification_service
from domain import webhook_events, workflow
from domain.models import Dossier, DossierEvent, Office, RegisterEntry, Revocation
from domain.portal_codes import portal_status_of_state
from domain.refusal import REFUSAL_GROUNDS, ground_citation


def changed_since(office_id: int, cursor: int, limit: int) -> tuple[list[DossierSummary], int, bool]:
    """The office's dossiers with an event after `cursor` (oldest change first), the next cursor, and
    whether more are waiting."""
    with session_scope() as session:
        rows = webhook_events.changed_since(session, office_id, cursor, limit + 1)
        more, rows = len(rows) > limit, rows[:limit]
        office = session.get(Office, office_id)
        code = webhook_events.office_code(session, office)
        items = [_summary(session.get(Dossier, d), office, code, last) for d, last in rows]
        return items, (rows[-1][1] if rows else cursor), more


def dossier_detail(office_id: int, code: str) -> DossierDetail | None:
    with session_scope() as session:
        dossier = _dossier(session, office_id, code)
        if dossier is None:
            return None
        office = session.get(Office, office_id)
        events = webhook_events.history(session, dossier.id)
        summary = _summary(dossier, office, webhook_events.office_code(session, office),
                           events[-1].id if events else 0)
        return DossierDetail(**summary.model_dump(), history=[event_out(e) for e in events],
                             results=_results(session, dossier),
                             refusal_grounds=[RefusalGround(code=g, text=REFUSAL_GROUNDS[g],
                                                            legal_basis=ground_citation(g))
                                              for g in dossier.refusal_grounds or [] if g in REFUSAL_GROUNDS])


def result_file(office_id: int, code: str, index: int) -> tuple[str, bytes] | None:
    """(file name, PDF) of the dossier's `index`-th certified copy (1-based), the newest file of it."""
    with session_scope() as session:
        dossier = _dossier(session, office_id, code)
        if dossier is None or dossier.state != workflow.ISSUED:
            return None
        entries = _entries(session, dossier)
        if not 1 <= index <= len(entries):
            return None
        entry = entries[index - 1]
        sha = certification_service.latest_file_sha256(session, entry)
        name = f"ban-sao-{entry.year}-{entry.number}.pdf"
    try:
        return name, files.read_bytes(sha)
    except files.FileMissing:
        return None


def event_out(event: DossierEvent) -> DossierEventOut:
    body = event.payload or {}
    return DossierEventOut(event_id=event.event_id, sequence=event.id, type=event.kind,
                           label=body.get("label", ""), occurred_at=event.at,
                           portal_status=body.get("portal_status") or {"code": "", "label": ""},
                           data=body.get("data") or {})


def _dossier(session: Session, office_id: int, code: str) -> Dossier | None:
    dossier = session.exec(select(Dossier).where(Dossier.code == code)).first()
    return dossier if dossier is not None and dossier.office_id == office_id else None


def _entries(session: Session, dossier: Dossier) -> list[RegisterEntry]:
    return list(session.exec(select(RegisterEntry).where(RegisterEntry.dossier_id == dossier.id)
                             .order_by(RegisterEntry.number)))


def _results(session: Session, dossier: Dossier) -> list[ResultCopy]:
    entries = _entries(session, dossier)
    revoked = set(session.exec(select(Revocation.entry_id).where(
        Revocation.entry_id.in_([e.id for e in entries])))) if entries else set()
    return [ResultCopy(index=i, certification_number=e.number_text, book=e.book, verify_code=e.verify_code,
                       sha256=certification_service.latest_file_sha256(session, e), revoked=e.id in revoked)
            for i, e in enumerate(entries, start=1)]


def _summary(dossier: Dossier, office: Office | None, office_code: str, last: int) -> DossierSummary:
    return DossierSummary(
        code=dossier.code, office=office.name if office else "", office_code=office_code, state=dossier.state,
        state_label=workflow.STATE_LABELS[dossier.state], portal_status=portal_status_of_state(dossier.state),
        received_at=dossier.received_at, due_at=dossier.due_at, submitted_at=dossier.submitted_at,
        signed_at=dossier.signed_at, issued_at=dossier.issued_at, refused_at=dossier.refused_at,
        last_sequence=last)
