"""Signing and sealing actions run in threads of their own (app.web.actions.off_loop): leaders and seal
keepers signing at once never take the threads page reads and other actions are served from."""
import asyncio
import threading

from nicegui import run

from app.web import actions
from app.web.priority import SIGNING_THREADS


async def test_a_page_read_is_served_while_more_signings_wait_than_the_server_has_threads():
    general = run.thread_pool._max_workers
    gate = threading.Event()
    started = threading.Semaphore(0)

    def signing() -> str:
        started.release()
        gate.wait(120)
        return "signed"

    signings = [asyncio.ensure_future(actions.off_loop(signing, slow=True))
                for _ in range(general + SIGNING_THREADS)]
    try:
        for _ in range(SIGNING_THREADS):  # every signing slot is taken, the rest queue behind them
            await asyncio.to_thread(started.acquire)
        # with the signings in the general pool this read would wait behind them until they end
        read = await asyncio.wait_for(actions.off_loop(lambda: "page"), 60)
        assert read == "page"
        assert not any(s.done() for s in signings)  # the signings are still at work meanwhile
    finally:
        gate.set()
    assert await asyncio.gather(*signings) == ["signed"] * len(signings)
