"""An ID read cut short by the server's shutdown: NiceGUI cancels the page's tasks, and `run.cpu_bound` then
answers None instead of a card (NiceGUI's own code path). The pre-fill form must take that calmly — no
`show(None)` crash logged, nothing marked as read — and the same card posted again is read."""
from __future__ import annotations

import asyncio
import logging

import pytest
from nicegui import background_tasks, ui
from nicegui.testing import User

from tests.support.cards import make_id_scan_pdf, random_person
from tests.support.http_upload import post_files
from tests.ui.test_sign_in_pages import sign_in


async def _reading_task(upload: ui.upload, timeout: float = 60) -> asyncio.Task:
    """The upload endpoint answers before its handler runs (a background task): the handler's task once it
    waits for the worker pool (the spinner shows just before that wait)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        tasks = [t for t in background_tasks.running_tasks if "_handle_upload" in t.get_name()]
        spinning = [e for e in upload.client.elements.values()
                    if isinstance(e, ui.spinner) and e.parent_slot.parent.visible]
        if tasks and spinning:
            return tasks[0]
        await asyncio.sleep(0.01)
    raise AssertionError(f"the ID read did not start within {timeout} s")


@pytest.mark.sqlite_only(reason="the worker pool and the page, not the database")
async def test_an_id_read_cut_short_by_shutdown_leaves_the_form_to_type(user: User, caplog):
    caplog.set_level(logging.ERROR)
    card = make_id_scan_pdf(random_person(11))
    await sign_in(user, "chungthuc")
    await user.open("/intake/new")
    user.find(marker="id-prefill").elements.pop().set_value(True)  # the form is built when first opened
    element = next(e for e in user.find(kind=ui.upload).elements)
    response = await post_files(user, element, [("cccd.pdf", "application/pdf", card)])
    assert response.status_code == 200
    task = await _reading_task(element)
    assert task.cancel(), "the read ended before the shutdown could cut it"  # what NiceGUI's shutdown does
    await asyncio.wait([task], timeout=60)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
    await user.should_see("Nhập tay")
    await user.should_not_see("QR")
    assert user.find(marker="req-name").elements.pop().value in ("", None)

    response = await post_files(user, element, [("cccd.pdf", "application/pdf", card)])
    assert response.status_code == 200
    await user.should_see("QR", retries=300)
