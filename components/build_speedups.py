"""Cheaper page builds: NiceGUI asks `inspect.signature` about the same few functions for every element.

Each element makes three observable collections (classes, style, props), and each asks
`helpers.expects_arguments(self._update)` — an `inspect.signature` of the same method — and every event
handler is asked again at each click. Profiled page builds (bench/bench_page_build.py --spy) spent ~12 % of
the server's time there. The answer depends only on the function's code, whether it is bound, and which
parameters have defaults, so it is remembered per code object. Anything else (partials, wrapped or callable
objects) is asked as before.
"""
from __future__ import annotations

import inspect
import types
from collections.abc import Callable

from nicegui import helpers

_cache: dict[tuple, bool] = {}
_original: Callable[[Callable], bool] | None = None


def _key(func: Callable) -> tuple | None:
    bound = inspect.ismethod(func)
    function = func.__func__ if bound else func
    if type(function) is not types.FunctionType or hasattr(function, "__wrapped__") \
            or hasattr(function, "__signature__"):
        return None
    return (
        function.__code__,
        bound,
        len(function.__defaults__ or ()),
        frozenset(function.__kwdefaults__ or ()),
    )


def expects_arguments(func: Callable) -> bool:
    assert _original is not None
    key = _key(func)
    if key is None:
        return _original(func)
    try:
        return _cache[key]
    except KeyError:
        value = _cache[key] = _original(func)
        return value


def install() -> None:
    """Idempotent; call once before pages are built (main.py)."""
    global _original
    if _original is None:
        _original = helpers.expects_arguments
        helpers.expects_arguments = expects_arguments
