"""The seal's reservation of the register's next numbers (domain.register.reservation), in memory: one live
seal at a time per counter; a lease that ran out or whose holder died is taken over; only the holder
records."""
from datetime import UTC, datetime, timedelta

import pytest

from app.signing.seal_reservation import holder_dead, new_holder
from domain.models import RegisterCounter
from domain.register.reservation import LEASE, SealBusy, SealLost, check_held, reserve

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_a_second_seal_of_the_office_waits_for_the_first():
    counter = RegisterCounter(office_id=1, year=2026)
    reserve(counter, "a", NOW)
    with pytest.raises(SealBusy, match="đang đóng dấu"):
        reserve(counter, "b", NOW + LEASE - timedelta(seconds=1))


def test_a_lease_that_ran_out_is_taken_over_and_its_holder_may_not_record():
    counter = RegisterCounter(office_id=1, year=2026)
    reserve(counter, "a", NOW)
    reserve(counter, "b", NOW + LEASE)
    with pytest.raises(SealLost, match="không có số nào bị dùng"):
        check_held(counter, "a", NOW + LEASE)
    check_held(counter, "b", NOW + LEASE)


def test_a_seal_whose_process_died_is_taken_over_at_once():
    counter = RegisterCounter(office_id=1, year=2026)
    reserve(counter, "vm-that-does-not-exist:1:x", NOW)
    with pytest.raises(SealBusy):
        reserve(counter, "b", NOW, holder_dead)  # another host: only its lease says
    counter = RegisterCounter(office_id=1, year=2026)
    host = new_holder().split(":")[0]
    reserve(counter, f"{host}:999999999:x", NOW)  # this host, a pid no process has
    reserve(counter, "b", NOW, holder_dead)
    assert counter.sealing_by == "b"
    assert not holder_dead(new_holder())  # this process is alive
