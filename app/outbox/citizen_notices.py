"""Refusal notices in the citizen's account: the refusal SMS tells the requester to read the written
notice "trong tài khoản", so their account lists their refused dossiers and hands out the notice PDF."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from app import files
from app.db import session_scope
from app.views.copies import citizen_filter
from domain.access import CurrentUser
from domain.models import Dossier, Office
from domain.refusal import REFUSAL_GROUNDS, ground_citation


@dataclass
class RefusalRow:
    dossier_id: int
    dossier_code: str
    office_name: str
    refused_at: datetime
    note: str
    has_notice: bool
    grounds: list[tuple[str, str]]  # (citation "khoản … Điều 22 Nghị định số 23/2015/NĐ-CP", its text)


def _grounds(codes: list | None) -> list[tuple[str, str]]:
    return [(ground_citation(code), REFUSAL_GROUNDS[code]) for code in codes or [] if code in REFUSAL_GROUNDS]


def citizen_refusals(user: CurrentUser, limit: int = 50) -> list[RefusalRow]:
    """The citizen's refused dossiers, newest first (opened for their account or carrying their ID number)."""
    if not user.is_citizen:
        return []
    with session_scope() as session:
        query = (select(Dossier, Office.name).join(Office, Dossier.office_id == Office.id)
                 .where(citizen_filter(session, user), Dossier.refused_at.is_not(None))
                 .order_by(Dossier.refused_at.desc(), Dossier.id.desc()).limit(limit))
        return [
            RefusalRow(d.id, d.code, name, d.refused_at, d.refusal_note or "", bool(d.refusal_notice_sha256),
                       _grounds(d.refusal_grounds))
            for d, name in session.exec(query).all()
        ]


def refusal_notice_for(user: CurrentUser, dossier_id: int) -> tuple[str, bytes] | None:
    """(file name, PDF) of the written notice if this citizen owns the refused dossier; None otherwise."""
    if not user.is_citizen:
        return None
    with session_scope() as session:
        dossier = session.exec(select(Dossier).where(Dossier.id == dossier_id,
                                                     citizen_filter(session, user))).first()
        if dossier is None or not dossier.refusal_notice_sha256:
            return None
        sha, name = dossier.refusal_notice_sha256, f"thong-bao-tu-choi-{dossier.code}.pdf"
    try:
        return name, files.read_bytes(sha)
    except files.FileMissing:
        return None
