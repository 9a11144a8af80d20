"""Reaching a dossier: only within the official's office; editable only while in intake."""
from __future__ import annotations

from sqlmodel import Session, select

from domain import workflow
from domain.access import AccessDenied, CurrentUser
from domain.audit import actor_of  # noqa: F401 — the one builder (domain.audit), for the dossier use cases
from domain.errors import DomainError
from domain.models import Dossier, Original, ScanPage
from domain.rights import Right


class WorkflowError(DomainError):
    """A dossier action the rules refuse."""


def get_dossier_for(session: Session, user: CurrentUser, dossier_id: int) -> Dossier:
    """The dossier if it belongs to the user's office; officials of other offices see nothing."""
    dossier = session.get(Dossier, dossier_id)
    if dossier is None or user.is_citizen or dossier.office_id != user.office_id:
        raise AccessDenied("Không tìm thấy hồ sơ hoặc hồ sơ thuộc cơ quan khác.")
    return dossier


def lock_dossier_for(session: Session, user: CurrentUser, dossier_id: int) -> Dossier:
    """get_dossier_for, holding the dossier's row until commit: on PostgreSQL two use cases deciding
    on one dossier's state (paying, refusing) run one after the other (SQLite has one writer)."""
    session.exec(select(Dossier.id).where(Dossier.id == dossier_id).with_for_update()).first()
    dossier = get_dossier_for(session, user, dossier_id)
    session.refresh(dossier)
    return dossier



def editable(session: Session, user: CurrentUser, dossier_id: int) -> Dossier:
    user.require(Right.CREATE_COPY)
    dossier = get_dossier_for(session, user, dossier_id)
    if dossier.state not in (workflow.DRAFT, workflow.RETURNED):
        raise WorkflowError(
            f"Hồ sơ đang ở trạng thái «{workflow.STATE_LABELS[dossier.state]}», không sửa được."
        )
    return dossier


def originals_of(session: Session, dossier_id: int) -> list[Original]:
    return list(
        session.exec(select(Original).where(Original.dossier_id == dossier_id).order_by(Original.position))
    )


def pages_of(session: Session, original_id: int) -> list[ScanPage]:
    return list(session.exec(select(ScanPage).where(ScanPage.original_id == original_id)
                             .order_by(ScanPage.position)))
