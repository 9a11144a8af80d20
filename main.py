"""Composition root: builds the NiceGUI app, registers pages and routes, runs the CLI.

`python main.py` serves; `python main.py --help` lists the other subcommands.
"""
from __future__ import annotations

import os
import sys

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # tesseract is ~4x slower with OpenMP threads on 2 cores


# Every screen, in the order of their cards on the home page.
PAGES = (
    "admin_api",
    "admin_audit",
    "admin_office",
    "admin_sms",
    "admin_units",
    "admin_users",
    "appointments",
    "citizen_account_new",
    "citizen_accounts",
    "citizen_contact",
    "dossier",
    "fees",
    "forgot_password",
    "handled",
    "home",
    "intake",
    "login",
    "my_copies",
    "queue_seal",
    "queue_sign",
    "register",
    "stats",
    "verify",
)


def add_pages() -> None:
    """Importing a page module declares its signed-in pages (`@official_page`); its `add_routes()`, when it
    has one, adds public pages, routes and home-page cards."""
    import importlib

    from components.frame import add_guarded_pages

    for name in PAGES:
        page = importlib.import_module(f"pages.{name}")
        if hasattr(page, "add_routes"):
            page.add_routes()
    add_guarded_pages()


def build_app() -> None:
    """Migrate, seed the demo office when asked, register every page and route, start the jobs."""
    from fastapi.responses import JSONResponse
    from nicegui import app

    from app.api import install as install_api
    from app.db import is_reachable
    from app.web.auth import AuthMiddleware
    from app.web.hardening import SecurityHeadersMiddleware, error_page
    from app.web.jobs import start_jobs
    from app.web.startup import prepare_database
    from app.web.upload_limit import UploadLimitMiddleware

    prepare_database()
    add_pages()
    install_api()  # /api/v1: its own key auth, OpenAPI document and problem details (app/api)
    start_jobs()
    if not legacy_tailwind():
        from components.assets import add_routes as add_asset_routes

        add_asset_routes()
    app.add_middleware(AuthMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(UploadLimitMiddleware)  # outermost: refuses an oversized body before anything reads it
    app.add_exception_handler(Exception, error_page)

    @app.get("/healthz")
    def healthz():
        ok = is_reachable()
        return JSONResponse(
            {"status": "ok" if ok else "database unreachable"}, status_code=200 if ok else 503
        )


def legacy_tailwind() -> bool:
    """The old setting (NiceGUI's in-browser Tailwind compiler), kept only so bench/ can compare."""
    return os.environ.get("LEGACY_TAILWIND") == "1"


def tune_garbage_collector() -> None:
    """Full collections over every page's element objects stalled the one event loop for hundreds of
    milliseconds under load (bench/bench_load.py: p95 470 → ~270 ms). Keep start-up objects out of
    collections and collect the young generation less often. The middle generation is collected every 5
    young collections, not 50: each object is scanned there once either way, but 50 batches of page
    elements made one pause of 0.3–0.9 s for every tablet at 50 sessions (now ≤ 0.3 s; bench/README)."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(20000, 5, 100)


def serve() -> None:
    from app.settings import get_settings

    settings = get_settings()
    os.environ.setdefault("NICEGUI_STORAGE_PATH", str(settings.data_dir / "nicegui"))
    from nicegui import run, ui

    # Workers of run.cpu_bound (ID-card reading) must not inherit the server's open sockets,
    # which a fork would: a connection the server closed stayed open and the browser hung.
    run.process_pool_start_method = "spawn"
    from app.web.priority import background_thread_pool

    # blocking work yields the CPU to the loop: app/web/priority.py
    run.thread_pool = background_thread_pool()
    build_app()
    from app.pki.cli import start_in_process_if_demo

    start_in_process_if_demo()
    from app.pki.csc_server import start_in_process_if_demo as start_csc_if_demo

    start_csc_if_demo()
    from components.build_speedups import install as cheaper_page_builds

    cheaper_page_builds()  # NiceGUI's per-element signature checks, remembered (components/build_speedups.py)
    from components.element_release import install as free_removed_elements_at_once

    free_removed_elements_at_once()  # closed pages leave no cycles behind (components/element_release.py)
    tune_garbage_collector()
    from nicegui import app

    from app.signing import worker as signing_worker

    signing_worker.start(settings.signing_workers)  # pyHanko's Python work off the server's GIL
    app.on_shutdown(signing_worker.stop)

    from app.web.heap import keep_big_buffers_out_of_the_heap
    from app.web.memory import INTERVAL_SECONDS, release_memory_off_loop

    keep_big_buffers_out_of_the_heap()  # a burst of large uploads gives its memory back (app/web/heap.py)
    app.timer(INTERVAL_SECONDS, release_memory_off_loop)  # closed pages' objects: see app/web/memory.py
    https = settings.base_url.startswith("https://")
    ui.run(host=settings.host, port=settings.port, title="Chứng thực bản sao điện tử", language="vi",
           storage_secret=settings.storage_secret, reload=False, show=False, favicon="📄",
           show_welcome_message=False, reconnect_timeout=10,
           tailwind=legacy_tailwind(),  # the utility classes come prebuilt: components/assets.py
           binding_refresh_interval=None,  # no polled bindings are used; the loop cost CPU per client
           session_middleware_kwargs={"https_only": https, "same_site": "lax"},
           # behind nginx: the client's address comes from X-Forwarded-For (rate limits, audit)
           proxy_headers=True, forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"))


# A spawned worker of run.cpu_bound imports this file as __mp_main__: it must do nothing.
if __name__ == "__main__":
    if os.environ.get("NICEGUI_USER_SIMULATION"):
        serve()  # the NiceGUI test harness runs this file
    else:
        from app.cli import main as cli_main

        sys.exit(cli_main(sys.argv[1:], serve))
