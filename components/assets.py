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


def head_html() -> str:
    css_hash = hashlib.sha256(_stylesheet()).hexdigest()[:12]
    _, font_hash = _asset("icons.woff2")
    return (
        f'<link rel="preload" href="/static/icons.woff2?v={font_hash}" as="font" type="font/woff2" '
        'crossorigin>'
        f'<link rel="stylesheet" href="/static/app.css?v={css_hash}">'
    )


def register() -> None:
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
