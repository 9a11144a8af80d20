"""The app's one prebuilt stylesheet and icon font, served with long-lived caching.

NiceGUI's default in-browser Tailwind compiler cost ~2 s of main-thread time per page on a
mid-range tablet; `ui.run(tailwind=False)` drops it and this stylesheet brings the utility
classes the pages use (built by tools/css/build.sh). The URLs carry the content hash, so a
browser keeps them for a year and a new release is fetched at once.
"""
from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from fastapi import Response
from nicegui import app, ui

STATIC = Path(__file__).parent / "static"
IMMUTABLE = "public, max-age=31536000, immutable"


@cache
def _asset(name: str) -> tuple[bytes, str]:
    data = (STATIC / name).read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:12]


def _stylesheet() -> bytes:
    css, _ = _asset("app.css")
    _, font_hash = _asset("icons.woff2")
    return css.replace(b"url(icons.woff2)", f"url(icons.woff2?v={font_hash})".encode())


# Names Quasar leaves out (axe, WCAG 2.1 AA 4.1.2): its uploader puts the <input type=file> inside an unnamed
# "add" button (a nameless button wrapping a nameless control: label, aria-command-name, nested-interactive),
# so the input, which covers the button, becomes the named control and the button a mere frame; a table's
# selection boxes get a name.
A11Y_REPAIRS = """<script>
new MutationObserver(() => {
  for (const box of document.querySelectorAll('.q-table .q-checkbox:not([aria-label])'))
    box.setAttribute('aria-label', 'Chọn dòng này');
  for (const input of document.querySelectorAll('.q-uploader__input')) {
    if (input.getAttribute('aria-label')) continue;
    input.setAttribute('aria-label', 'Chọn tệp');
    input.tabIndex = 0;
    const frame = input.closest('[role=button]');
    if (frame) { frame.setAttribute('role', 'presentation'); frame.removeAttribute('tabindex'); }
  }
}).observe(document.documentElement, {childList: true, subtree: true});
</script>"""


def head_html() -> str:
    css_hash = hashlib.sha256(_stylesheet()).hexdigest()[:12]
    _, font_hash = _asset("icons.woff2")
    return (
        f'<link rel="preload" href="/static/icons.woff2?v={font_hash}" as="font" type="font/woff2" '
        'crossorigin>'
        f'<link rel="stylesheet" href="/static/app.css?v={css_hash}">' + A11Y_REPAIRS
    )


def add_routes() -> None:
    """Serve the assets and link them from every page."""
    css = _stylesheet()

    @app.get("/static/app.css", include_in_schema=False)
    def stylesheet() -> Response:
        return Response(css, media_type="text/css", headers={"Cache-Control": IMMUTABLE})

    @app.get("/static/icons.woff2", include_in_schema=False)
    def icons() -> Response:
        return Response(
            _asset("icons.woff2")[0], media_type="font/woff2", headers={"Cache-Control": IMMUTABLE}
        )

    ui.add_head_html(head_html(), shared=True)
    # Quasar's colours with white text at least 4.5:1 (WCAG 2.1 AA; NiceGUI's primary #5898d4 gave 3.06:1).
    app.colors(primary="#1d4ed8", secondary="#0f766e", positive="#15803d", info="#0369a1", warning="#b45309")
