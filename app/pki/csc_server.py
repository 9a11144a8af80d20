"""The demo remote-signing service: certomancer-csc-dummy (a CSC API v1 server by pyHanko's author)
over the demo PKI, with what a real provider adds and the dummy leaves out: an OAuth2 client-credentials
token on every call, the signer's PIN on ``credentials/authorize``, disabled credentials, SAD lifetime
and signature count, and an optional wait (the signer approving on a phone).

Credential IDs are ``chungthuc/ee-<key id>`` (the demo PKI's certificate labels). Demo and tests only.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import socket
import threading
import time
import warnings
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from aiohttp import web
from csc_dummy.csc_dummy_server import CSCWithCertomancer, DummyServiceParams

from app.settings import get_settings
from app.signing.resolve import demo_pki

from .demo_csc import DEMO_CLIENT_ID, DEMO_PIN, demo_client_secret_file, demo_csc_enabled, demo_csc_url
from .demo_pki import DemoPki

log = logging.getLogger(__name__)


@dataclass
class CscPolicy:
    """What the demo provider checks; tests change it while the server runs."""

    client_id: str = DEMO_CLIENT_ID
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    pins: dict[str, str] = field(default_factory=dict)  # credential id -> PIN (default DEMO_PIN)
    disabled: set[str] = field(default_factory=set)
    cancelled: set[str] = field(default_factory=set)  # the signer refuses on the phone
    approval_delay: float = 0.0  # seconds credentials/authorize waits (phone approval)
    sad_lifetime: int = 600
    tokens: set[str] = field(default_factory=set)
    sad_uses: dict[str, list] = field(default_factory=dict)  # SAD -> [allowed, used, expires]
    signed: int = 0  # signatures made so far
    after_sign: object = None  # tests: called with `signed` after each signHash (e.g. to stop the service)


def _error(status: int, code: str, text: str) -> web.Response:
    return web.json_response({"error": code, "error_description": text}, status=status)


class DemoCscService(CSCWithCertomancer):
    def __init__(self, pki: DemoPki, policy: CscPolicy):
        self.pki, self.policy = pki, policy
        self._cfg, self._mtime = None, 0.0
        with warnings.catch_warnings():  # the dummy keys its app config by str (aiohttp prefers AppKey)
            warnings.simplefilter("ignore")
            super().__init__(pki.config(), service_params=DummyServiceParams(hash_pinning_required=False,
                                                                             multisign=1))
        self.app.middlewares.append(self._bearer_check)

    @property
    def certomancer_config(self):
        # Signers' keys are issued while the service runs: reload the config when it changed.
        mtime = self.pki.config_path.stat().st_mtime
        if self._cfg is None or mtime != self._mtime:
            self._cfg, self._mtime = self.pki.config(), mtime
        return self._cfg

    def register_routes(self):
        self.app.add_routes([web.post("/csc/v1/oauth2/token", self.token)])
        super().register_routes()

    @web.middleware
    async def _bearer_check(self, request: web.Request, handler):
        if request.path.startswith("/csc/v1/") and request.path != "/csc/v1/oauth2/token" \
                and request.path != "/csc/v1/info":
            token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
            if token not in self.policy.tokens:
                return _error(401, "invalid_token", "The access token is not valid")
        return await handler(request)

    async def token(self, request: web.Request):
        form = await request.post()
        if form.get("grant_type") != "client_credentials" or form.get("client_id") != self.policy.client_id \
                or not secrets.compare_digest(str(form.get("client_secret", "")), self.policy.client_secret):
            return _error(401, "invalid_client", "Invalid client credentials")
        token = secrets.token_urlsafe(24)
        self.policy.tokens.add(token)
        return web.json_response({"access_token": token, "token_type": "Bearer", "expires_in": 3600})

    async def credentials_info(self, request: web.Request):
        response = await super().credentials_info(request)
        cred = str((await request.json()).get("credentialID"))
        if cred in self.policy.disabled:
            data = json.loads(response.body)
            data["key"]["status"] = "disabled"
            return web.json_response(data)
        return response

    async def credentials_authorize(self, request: web.Request):
        params = await request.json()
        cred = str(params.get("credentialID", ""))
        if self.policy.approval_delay:
            await asyncio.sleep(self.policy.approval_delay)
        if cred in self.policy.disabled:
            return _error(400, "invalid_request", "The credential is disabled")
        if cred in self.policy.cancelled:
            return _error(400, "access_denied", "The user cancelled the authorization")
        pin = str(params.get("PIN") or params.get("OTP") or "")
        if not secrets.compare_digest(pin, self.policy.pins.get(cred, DEMO_PIN)):
            return _error(400, "invalid_pin", "The PIN is invalid")
        response = await super().credentials_authorize(request)
        data = json.loads(response.body)
        self.policy.sad_uses[data["SAD"]] = [int(params["numSignatures"]), 0,
                                             time.monotonic() + self.policy.sad_lifetime]
        data["expiresIn"] = self.policy.sad_lifetime
        return web.json_response(data)

    async def signatures_sign_hash(self, request: web.Request):
        params = await request.json()
        use = self.policy.sad_uses.get(str(params.get("SAD")))
        if use is None or time.monotonic() > use[2] or use[1] + len(params.get("hash", [])) > use[0]:
            return _error(400, "invalid_request", "SAD expired")
        if str(params.get("credentialID")) in self.policy.disabled:
            return _error(400, "invalid_request", "The credential is disabled")
        response = await super().signatures_sign_hash(request)
        use[1] += len(params.get("hash", []))
        self.policy.signed += 1
        if callable(self.policy.after_sign):
            self.policy.after_sign(self.policy.signed)
        return response


@dataclass
class RunningCsc:
    url: str
    policy: CscPolicy
    service: DemoCscService
    _loop: asyncio.AbstractEventLoop
    _runner: web.AppRunner
    _thread: threading.Thread

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)


def start_csc_service(pki: DemoPki, host: str = "127.0.0.1", port: int = 0,
                      policy: CscPolicy | None = None) -> RunningCsc:
    """Serve the demo CSC API on its own event loop in a daemon thread (tests, demo mode)."""
    policy = policy or CscPolicy()
    service = DemoCscService(pki, policy)
    service.register_routes()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="csc-demo", daemon=True)
    thread.start()
    runner = web.AppRunner(service.app, access_log=None)

    async def start() -> int:
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        return site._server.sockets[0].getsockname()[1]

    bound = asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
    return RunningCsc(f"http://{host}:{bound}", policy, service, loop, runner, thread)


def start_in_process_if_demo() -> RunningCsc | None:
    """``make run`` (DEMO=1, DEMO_CSC=1): serve the demo CSC API at CSC_DEMO_URL unless something answers."""
    if not (get_settings().demo and demo_csc_enabled()) or os.environ.get("DEMO_CSC_SERVE", "1") == "0":
        return None  # DEMO_CSC_SERVE=0: the service runs elsewhere (tests start and stop their own)
    url = urlsplit(demo_csc_url())
    host, port = url.hostname or "127.0.0.1", url.port or 80
    with socket.socket() as probe:
        probe.settimeout(0.3)
        if probe.connect_ex((host, port)) == 0:
            return None
    pki = demo_pki()
    secret = demo_client_secret_file(pki).read_text().strip()
    running = start_csc_service(pki, host, port, CscPolicy(client_secret=secret))
    log.info("demo CSC remote signing on %s (PIN %s)", running.url, DEMO_PIN)
    return running
