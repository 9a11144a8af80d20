"""The remembered answer to NiceGUI's "does this handler expect arguments?" is the one inspect gives."""
from __future__ import annotations

import functools

from nicegui.helpers.functions import expects_arguments as original

from components import build_speedups


class Thing:
    def update(self) -> None: ...

    def handle(self, event) -> None: ...

    def handle_default(self, event=None) -> None: ...


def plain(a, b=1): ...


def handlers() -> list:
    thing = Thing()
    return [thing.update, thing.handle, thing.handle_default, Thing.update, plain, lambda: None, lambda e: e,
            lambda e=None: e, lambda *a: a, lambda **k: k, lambda *, x: x, lambda *, x=1: x,
            functools.partial(plain, 1), functools.wraps(plain)(lambda: None), print, Thing]


def test_remembered_answers_match_inspect_twice_over():
    build_speedups.install()
    for _ in range(2):  # the second round answers from the cache
        assert [build_speedups.expects_arguments(h) for h in handlers()] == [original(h) for h in handlers()]
