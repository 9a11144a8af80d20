"""Which office a record belongs to, so an action is refused on another office's record whatever
page it came from (the action runner asks this before every use case)."""
from __future__ import annotations

from sqlmodel import Session, select

from domain.access import AccessDenied, CurrentUser
from domain.models import (
    Account,
    Appointment,
    Dossier,
    Office,
    OfficeDay,
    Original,
    RegisterEntry,
    ScanPage,
    Unit,
)

OTHER_OFFICE = "Hồ sơ, tài khoản hoặc đơn vị này thuộc cơ quan khác."


def record_office(session: Session, kind: str, record_id: int | None) -> int | None:
    """The office of a record, or None when it does not exist (the use case then says so)."""
    if record_id is None:
        return None
    if kind == "dossier":
        row = session.get(Dossier, record_id)
        return row.office_id if row else None
    if kind == "original":
        row = session.get(Original, record_id)
        return record_office(session, "dossier", row.dossier_id) if row else None
    if kind == "scan_page":
        row = session.get(ScanPage, record_id)
        return record_office(session, "original", row.original_id) if row else None
    if kind == "entry":
        row = session.get(RegisterEntry, record_id)
        return row.office_id if row else None
    if kind == "appointment":
        row = session.get(Appointment, record_id)
        return row.office_id if row else None
    if kind == "office_day":
        row = session.get(OfficeDay, record_id)
        return row.office_id if row else None
    if kind == "account":
        row = session.get(Account, record_id)
        return row.office_id if row and row.kind == "official" else None
    if kind == "unit":
        return unit_office(session, record_id)
    raise ValueError(f"unknown record kind {kind!r}")


def unit_office(session: Session, unit_id: int) -> int | None:
    """The office whose unit is this one or the nearest above it."""
    seen: set[int] = set()
    current = session.get(Unit, unit_id)
    while current is not None and current.id not in seen:
        office_id = session.exec(select(Office.id).where(Office.unit_id == current.id)).first()
        if office_id is not None:
            return office_id
        seen.add(current.id)
        current = session.get(Unit, current.parent_id) if current.parent_id else None
    return None


def check_record(session: Session, user: CurrentUser, kind: str, record_id: int | None) -> None:
    """Refuse an official's action on a record of another office (citizens: the use case checks
    that the record is theirs)."""
    if user.is_citizen:
        return
    office_id = record_office(session, kind, record_id)
    if office_id is not None and office_id != user.office_id:
        raise AccessDenied(OTHER_OFFICE)
