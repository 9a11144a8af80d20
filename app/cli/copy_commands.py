"""The commands about certified copies and their signatures: verify, renew-timestamps, and the demo PKI's
services (pki-services) (`python main.py <command>`, app/cli)."""
from __future__ import annotations

from datetime import UTC, datetime

from app.db import migrate
from app.pki.cli import pki_services_command
from app.signing.cli import verify_command
from app.signing.renewal import renew_command
from app.verification.public_verify import verify_file


def verify(args) -> int:
    migrate()
    at = moment(args.at)
    return verify_command(args.file, args.json, judge=lambda data: verify_file(data, at))


def renew(args) -> int:
    migrate()
    return renew_command(moment(args.at))


def pki_services(args) -> int:
    return pki_services_command()


def moment(text: str | None):
    """An ISO date or date-time (UTC when no offset is given), or None."""
    if not text:
        return None
    at = datetime.fromisoformat(text)
    return at if at.tzinfo else at.replace(tzinfo=UTC)
