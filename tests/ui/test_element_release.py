"""Closed pages are freed by reference counting (components/element_release.py): their elements' class,
style and props collections no longer wait for a full garbage collection, which paused the event loop for
seconds under load."""
from __future__ import annotations

import gc
import weakref

import pytest
from nicegui import ui
from nicegui.testing import User

pytestmark = pytest.mark.sqlite_only  # about NiceGUI's objects, not the database


async def test_removed_elements_leave_no_cycles_for_the_garbage_collector(user: User):
    await user.open("/login")
    with user.client, ui.column() as box:
        for i in range(20):
            ui.label(f"dòng {i}").classes("text-sm").style("color: red").props("dense")
    collections = [weakref.ref(c) for e in box.descendants() for c in (e._classes, e._style, e._props)]
    gc.collect()
    gc.disable()  # what is freed now is freed by reference counting
    try:
        box.delete()
        del box
        alive = sum(ref() is not None for ref in collections)
    finally:
        gc.enable()
    assert alive == 0, f"{alive} of {len(collections)} collections of removed elements wait for a collection"
