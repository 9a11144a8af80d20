"""Register entries for tests.

`issue_at(clock, moment)` issues one through the real path (intake, fee, leader's signature, the seal) with
the process clock set to `moment`: numbering, year rollover and dates are the seal's own. Use it wherever a
test is about numbering or dates.
`add_entries(specs)` writes many rows directly (correct hashes, numbers, counter, stored files) for tests of
search, paging and printing, where sealing dozens of copies would cost minutes; it mirrors the seal's
numbering (local year, per-office counter), and tests/integration/test_verify_register.py checks that rows it
writes after real seals pass `verify-register`."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from sqlmodel import select

from app import files
from app.db import UNITS, write_scope
from app.signing import certification_service as service
from domain.clock import FixedClock, to_local
from domain.models import Account, Dossier, Office, Original, RegisterCounter, RegisterEntry
from domain.offices import book_label, number_text
from domain.register import entry_hash
from domain.text import fold
from tests.support.workflow import signed_dossier_ready, user_named


@dataclass
class Spec:
    name: str = "Nguyễn Văn An"
    id_number: str | None = "001099012345"
    title: str = "Giấy khai sinh"
    issuer: str = "UBND phường Hoàn Kiếm"
    issued_at: datetime | None = None  # aware UTC
    pages: int = 1
    copies: int = 1
    fee: int = 2000
    sealed: bool = False  # the sealed revision's and the certificates' hashes set (chained too)


def demo_office_id() -> int:
    with write_scope() as s:
        return s.exec(select(Office.id).order_by(Office.id)).first()


def add_entries(specs: list[Spec], office_id: int | None = None) -> list[RegisterEntry]:
    """One dossier per entry; entries chained after the office's last one, numbered per year."""
    office_id = office_id or demo_office_id()
    out = []
    with write_scope() as s:
        office = s.get(Office, office_id)
        clerk = s.exec(select(Account).where(Account.kind == "official")).first()
        last = s.exec(select(RegisterEntry).where(RegisterEntry.office_id == office_id)
                      .order_by(RegisterEntry.id.desc()).limit(1)).first()
        prev = last.hash if last else ""
        for _i, sp in enumerate(specs):
            at = sp.issued_at or datetime.now(UTC)
            year = to_local(at).year  # the register year is the local one, as in the seal
            counter = s.exec(select(RegisterCounter).where(RegisterCounter.office_id == office_id,
                                                           RegisterCounter.year == year)).first()
            if counter is None:
                counter = RegisterCounter(office_id=office_id, year=year)
                s.add(counter)
            counter.last_number += 1
            dossier = Dossier(code=f"T{secrets.token_hex(6)}", office_id=office_id, state="issued",
                              requester_name=sp.name, requester_name_folded=fold(sp.name),
                              requester_id_number=sp.id_number, due_at=at, created_by_id=clerk.id,
                              received_at=at, issued_at=at)
            s.add(dossier)
            s.flush()
            original = Original(dossier_id=dossier.id, title=sp.title, issuer=sp.issuer, pages=sp.pages,
                                copies=sp.copies, fee=sp.fee)
            s.add(original)
            s.flush()
            sha = files.store_bytes(b"%PDF-1.4 test copy " + secrets.token_bytes(16), "application/pdf", s)
            e = RegisterEntry(office_id=office_id, year=year, number=counter.last_number,
                              number_text=number_text(office, counter.last_number),
                              book=book_label(office, counter.book, year), dossier_id=dossier.id,
                              original_id=original.id, issued_at=at, requester_name=sp.name,
                              requester_name_folded=fold(sp.name), requester_id_number=sp.id_number,
                              document_title=sp.title, document_title_folded=fold(sp.title), issuer=sp.issuer,
                              pages=sp.pages, copies=sp.copies, fee=sp.fee, signer_name="Phạm Văn Lãnh",
                              file_sha256=sha, verify_code=secrets.token_urlsafe(12), prev_hash=prev)
            if sp.sealed:
                e.sealed_sha256, e.leader_cert_sha256, e.office_cert_sha256 = (secrets.token_hex(32)
                                                                               for _ in range(3))
            e.hash = entry_hash(e)
            prev = e.hash
            s.add(e)
            s.flush()
            out.append(e)
        s.commit()
    return out


def local(y: int, m: int, d: int, h: int = 9) -> datetime:
    """A local (UTC+7) wall time as aware UTC."""
    return datetime(y, m, d, h, tzinfo=timezone(timedelta(hours=7))).astimezone(UTC)


def issue_at(clock: FixedClock, moment: datetime) -> RegisterEntry:
    """One copy issued through the real seal, the process clock (`clock`, in use) standing at `moment`."""
    clock.set(moment)
    dossier_id = signed_dossier_ready(pages=1, email=None)
    service.sign(UNITS, user_named("lanhdao"), dossier_id)
    return service.seal(UNITS, user_named("vanthu"), dossier_id)[0]
