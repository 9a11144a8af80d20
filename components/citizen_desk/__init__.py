"""The one-stop desk's «Tạo tài khoản công dân — Thêm mới», one component per step: look up the ID
number (lookup.py), store and read the ID scan (scan.py), contact, request form, OTP and creation
(confirm.py). Every step runs as a desk use case through the action runner (run_desk)."""
from __future__ import annotations

from datetime import date

from app.web.actions import Outcome, run_action
from domain.dates import parse_day_or_none
from domain.errors import DomainError
from domain.idcard.text import find_dates
from domain.rights import Right


async def run_desk(use_case, *args) -> Outcome:
    """Every step of the desk, lookups included (they read personal data), checked at the click."""
    return await run_action(use_case, *args, right=Right.CREATE_CITIZEN_ACCOUNT, notify=False)


def error_text(exc: Exception) -> str:
    return exc.message if isinstance(exc, DomainError) else str(exc)


def parse_card_date(text: str | None) -> date | None:
    """A date read from the card: typed forms first, then any date the OCR text holds."""
    found = parse_day_or_none(text)
    if found is None and text:
        dates = find_dates(text)
        found = dates[0] if dates else None
    return found
