"""Parts of a page built when first opened, not with the page: a tablet mounts only what is on screen.

    expansion = lazy_expansion("Điền từ ảnh chụp thẻ căn cước", build, icon="badge")
    dialog = LazyDialog(build)        # build(dialog) draws the card; dialog.open() builds it once, then opens

A closed Quasar expansion still mounts its content (hidden with v-show), and every element a page sends is
parsed and kept by the browser: on /intake/new the ID pre-fill form alone was most of the page.
"""
from __future__ import annotations

from collections.abc import Callable

from nicegui import ui


def lazy_expansion(text: str, build: Callable[[], None], *, icon: str | None = None) -> ui.expansion:
    """An expansion whose content `build()` draws the first time it is opened (and stays built)."""
    built = {"done": False}

    def opened(e) -> None:
        if e.value and not built["done"]:
            built["done"] = True
            with expansion:
                build()

    expansion = ui.expansion(text, icon=icon, on_value_change=opened)
    return expansion


class LazyDialog:
    """A dialog whose content `build(dialog)` draws on the first `open()`."""

    def __init__(self, build: Callable[[ui.dialog], None]):
        self._build = build
        self.dialog: ui.dialog | None = None
        self._parent = ui.context.slot.parent  # where the dialog will live in the page

    @property
    def built(self) -> bool:
        return self.dialog is not None

    def open(self) -> None:
        if self.dialog is None:
            with self._parent:
                self.dialog = ui.dialog()
                self._build(self.dialog)
        self.dialog.open()

    def close(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
