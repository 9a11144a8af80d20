"""One dossier at intake (/dossier/{id}): the dossier with its originals and their stored pages, the
office calendar, fee and payments, and what still stops its submission."""
from __future__ import annotations

from dataclasses import dataclass

from app.db import session_scope
from domain import dossiers, workflow
from domain.access import CurrentUser
from domain.calendar import OfficeCalendar
from domain.models import Dossier, Office, Original, Payment, ScanPage
from domain.offices import calendar_for
from domain.payments import payments_of

EDITABLE = (workflow.DRAFT, workflow.RETURNED)


@dataclass
class IntakeDossier:
    """Rows detached from their session: read their columns, never their relationships."""
    dossier: Dossier
    calendar: OfficeCalendar
    originals: list[tuple[Original, list[ScanPage]]]
    fee: int
    paid: int
    payments: list[Payment]
    allow_pay_later: bool
    problems: list[str]  # what stops the submission (only while the dossier is editable)

    @property
    def editable(self) -> bool:
        return self.dossier.state in EDITABLE


def dossier_code(user: CurrentUser, dossier_id: int) -> str:
    """The dossier's code; AccessDenied when it is not in the user's office."""
    with session_scope() as session:
        return dossiers.get_dossier_for(session, user, dossier_id).code


def intake_dossier(user: CurrentUser, dossier_id: int) -> IntakeDossier:
    with session_scope() as session:
        dossier = dossiers.get_dossier_for(session, user, dossier_id)
        office = session.get(Office, dossier.office_id)
        originals = [(o, dossiers.pages_of(session, o.id)) for o in dossiers.originals_of(session, dossier.id)]
        return IntakeDossier(
            dossier, calendar_for(session, office), originals, dossiers.dossier_fee(session, dossier.id),
            dossiers.paid_amount(session, dossier.id), list(payments_of(session, dossier.id)),
            bool(office.allow_pay_later),
            dossiers.submission_problems(session, dossier, office) if dossier.state in EDITABLE else [])


def submission_problems(user: CurrentUser, dossier_id: int) -> list[str]:
    with session_scope() as session:
        dossier = dossiers.get_dossier_for(session, user, dossier_id)
        return dossiers.submission_problems(session, dossier, session.get(Office, dossier.office_id))
