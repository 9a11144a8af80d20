"""Serve the demo PKI (CRLs, OCSP, time-stamps, CA certificates) over HTTP with Certomancer's Animator.

``start_services`` runs a threaded server in this process (tests, demo mode); ``serve_forever`` is
behind ``python main.py pki-services``. The config is reloaded when an issuance or revocation rewrote it.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from certomancer.integrations.animator import Animator, AnimatorArchStore
from werkzeug.serving import BaseWSGIServer, make_server

from app.web.priority import lower_priority

from .demo_pki import DemoPki

log = logging.getLogger(__name__)


class _WholeSecondAnimator(Animator):
    """Times in OCSP responses and CRLs without fractions of a second: NSS (poppler's pdfsig)
    rejects an OCSP response whose producedAt has them ("Unknown issue with Certificate")."""

    def at_time(self, request):
        return super().at_time(request).replace(microsecond=0)


class ReloadingAnimator:
    """WSGI app: Certomancer's Animator over the PKI's current config."""

    def __init__(self, pki: DemoPki):
        self.pki = pki
        self._lock = threading.Lock()
        self._app: Animator | None = None
        self._mtime = 0.0

    def __call__(self, environ, start_response):
        return self._current()(environ, start_response)

    def _current(self) -> Animator:
        mtime = self.pki.config_path.stat().st_mtime
        with self._lock:
            if self._app is None or mtime != self._mtime:
                archs = self.pki.config().pki_archs
                self._app = _WholeSecondAnimator(AnimatorArchStore(archs), with_web_ui=False,
                                                 allow_time_override=False)
                self._mtime = mtime
            return self._app


@dataclass
class RunningServices:
    server: BaseWSGIServer
    thread: threading.Thread
    url: str

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def start_services(pki: DemoPki, host: str = "127.0.0.1", port: int = 0) -> RunningServices:
    server = make_server(host, port, ReloadingAnimator(pki), threaded=True)
    _quiet_werkzeug()
    thread = threading.Thread(target=_serve_in_background, args=(server,), name="pki-services", daemon=True)
    thread.start()
    return RunningServices(server, thread, f"http://{host}:{server.server_port}")


def _serve_in_background(server: BaseWSGIServer) -> None:
    """Inside the server (demo) or a test process, the demo CA's work yields the CPU to the event loop,
    as a real CA's would run elsewhere; the threads it starts per request inherit the lower priority."""
    lower_priority()
    server.serve_forever()


def serve_forever(pki: DemoPki, host: str, port: int) -> None:
    server = make_server(host, port, ReloadingAnimator(pki), threaded=True)
    log.info("demo PKI services on http://%s:%s", host, port)
    server.serve_forever()


def _quiet_werkzeug() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
