"""`--at` judges through pyHanko's own clock reads too: the proofs of existence it registers "now" and
the time slide's start are the judged moment, whatever the machine's clock says."""
from __future__ import annotations

from datetime import UTC, datetime

from pyhanko_certvalidator.ltv import ades_past
from pyhanko_certvalidator.ltv.poe import POEManager, POEType

from app.signing.judged_time import judging_at

MOMENT = datetime(2031, 5, 17, 8, 30, tzinfo=UTC)


def test_pyhankos_clock_reads_return_the_judged_moment_only_while_judging():
    with judging_at(MOMENT):
        assert POEManager().register_by_digest(b"\x01" * 32, POEType.VALIDATION).poe_time == MOMENT
        assert ades_past.datetime.now(tz=UTC) == MOMENT
    assert abs((POEManager().register_by_digest(b"\x02" * 32, POEType.VALIDATION).poe_time
                - datetime.now(UTC)).total_seconds()) < 60
