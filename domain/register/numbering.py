"""Numbering of the register: one counter row per office and year hands out the next number under a row
lock, and every entry is hash-chained to the office's previous one (so a changed or removed entry shows)."""
from __future__ import annotations

import hashlib
import json
import secrets

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from domain.models import RegisterCounter, RegisterEntry


def ensure_counter(session: Session, office_id: int, year: int) -> None:
    """Create the year's counter row if missing (its own small transaction; safe when raced)."""
    if session.exec(select(RegisterCounter.id).where(RegisterCounter.office_id == office_id,
                                                     RegisterCounter.year == year)).first():
        return
    try:
        with session.begin_nested():  # a savepoint: losing the race undoes only this insert
            session.add(RegisterCounter(office_id=office_id, year=year))
    except IntegrityError:
        pass


# Printed under the QR and typed by hand: no I, L, O, 0 or 1 (read as one another), one case.
VERIFY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
VERIFY_CODE_LENGTH = 16  # 31**16 ≈ 2**79 codes


def new_verify_code() -> str:
    return "".join(secrets.choice(VERIFY_CODE_ALPHABET) for _ in range(VERIFY_CODE_LENGTH))


def entry_hash(entry: RegisterEntry) -> str:
    body = json.dumps(
        [
            entry.prev_hash,
            entry.office_id,
            entry.year,
            entry.number,
            entry.number_text,
            entry.book,
            entry.dossier_id,
            entry.original_id,
            entry.issued_at.isoformat(),
            entry.requester_name,
            entry.requester_id_number,
            entry.document_title,
            entry.issuer,
            entry.pages,
            entry.copies,
            entry.fee,
            entry.signer_name,
            entry.notes,
            entry.file_sha256,
            entry.verify_code,
        ]
        # entries sealed since the long-term copies also chain the sealed revision and certificates
        + (
            [entry.sealed_sha256, entry.leader_cert_sha256, entry.office_cert_sha256]
            if entry.sealed_sha256
            else []
        ),
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


def last_hash(session: Session, office_id: int) -> str:
    """The hash the office's next entry chains to ('' for the first)."""
    last = session.exec(select(RegisterEntry).where(RegisterEntry.office_id == office_id)
                        .order_by(RegisterEntry.id.desc()).limit(1)).first()
    return last.hash if last else ""
