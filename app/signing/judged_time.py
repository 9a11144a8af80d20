"""The moment a verification judges at, seen by pyHanko's long-term validation too.

pyHanko's AdES past validation reads the process clock in a few places even when it is handed a
validation time (the time slide's start, proofs of existence registered "now"). With ``--at`` that
made a judgment "as of" a date depend on the machine's real date. Inside ``judging_at(moment)``
those reads return ``moment``; elsewhere (signing, renewal) they return the real clock as before.
"""
from __future__ import annotations

import contextlib
from contextvars import ContextVar
from datetime import datetime

from pyhanko.sign.validation import ades
from pyhanko_certvalidator.ltv import ades_past, poe

_MOMENT: ContextVar[datetime | None] = ContextVar("judged_moment", default=None)


class _JudgedDatetime(datetime):
    @classmethod
    def now(cls, tz=None):
        moment = _MOMENT.get()
        if moment is None:
            return datetime.now(tz)
        return moment.astimezone(tz) if tz is not None else moment.astimezone().replace(tzinfo=None)


# The modules whose validation code calls datetime.now(); they use the name only for that.
for _module in (ades, ades_past, poe):
    _module.datetime = _JudgedDatetime


@contextlib.contextmanager
def judging_at(moment: datetime):
    """pyHanko's clock reads in this thread (and the asyncio tasks it starts) return ``moment``."""
    token = _MOMENT.set(moment)
    try:
        yield
    finally:
        _MOMENT.reset(token)
