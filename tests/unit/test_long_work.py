"""The watch of a long action (app.long_work): once the page gives up the work writes nothing; once the
work's write has begun the page waits for it. And a bounded wait really ends (components.long_action)."""
from __future__ import annotations

import time

import pytest

from app.long_work import GaveUp, Watch


def test_given_up_work_stops_at_its_next_step_and_may_not_commit():
    steps: list[str] = []
    watch = Watch(60, report=steps.append)
    watch("Đang ký…")
    assert watch.give_up()
    with pytest.raises(GaveUp):
        watch("Đang ghi kết quả…")
    with pytest.raises(GaveUp):
        watch.begin_write()
    assert steps == ["Đang ký…"]


def test_a_write_already_begun_is_waited_for_not_given_up():
    watch = Watch(60)
    watch.begin_write()
    assert not watch.give_up()


def test_past_the_bound_the_work_may_not_commit_even_before_the_page_gives_up():
    watch = Watch(1)
    watch.deadline = time.monotonic() - 0.01
    with pytest.raises(GaveUp) as refused:
        watch.begin_write()
    assert "chưa xong sau 1 giây" in refused.value.message
    assert watch.give_up()


async def test_a_bounded_thread_wait_ends_in_a_timeout_not_a_none_result():
    from components.long_action import io_bounded

    with pytest.raises(TimeoutError):
        await io_bounded(time.sleep, 2, seconds=0.2)
