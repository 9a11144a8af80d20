"""A subscriber's webhook endpoint (aiohttp) on 127.0.0.1, in a thread of its own: it checks each
delivery's HMAC-SHA256 signature and keeps what arrived, in arrival order. It can be started late (a
subscriber that was down) and told to answer 500 to chosen event types once."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import socket
import threading

from aiohttp import web


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Receiver:
    def __init__(self, secret: str, port: int | None = None):
        self.secret, self.port = secret, port or free_port()
        self.hits: list[dict] = []  # every request: id, type, dossier, signature_ok, answered
        self.fail_once: set[str] = set()  # event types answered 500 the first time
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def accepted(self) -> list[dict]:
        return [h for h in self.hits if h["answered"] == 200]

    async def _hook(self, request: web.Request) -> web.Response:
        body = await request.read()
        stamp = request.headers.get("X-Webhook-Timestamp", "")
        expected = "v1=" + hmac.new(self.secret.encode(), stamp.encode() + b"." + body,
                                    hashlib.sha256).hexdigest()
        ok = hmac.compare_digest(expected, request.headers.get("X-Webhook-Signature", ""))
        payload = json.loads(body)
        answer = 200 if ok else 401
        if ok and payload["type"] in self.fail_once:
            self.fail_once.discard(payload["type"])
            answer = 500
        self.hits.append({"id": request.headers.get("X-Webhook-Id"), "type": payload["type"],
                          "dossier": payload["dossier"]["code"], "sequence": payload["sequence"],
                          "signature_ok": ok, "answered": answer, "payload": payload})
        return web.Response(status=answer)

    def start(self) -> Receiver:
        ready = threading.Event()

        def serve() -> None:
            self._loop = asyncio.new_event_loop()
            app = web.Application()
            app.router.add_post("/hook", self._hook)
            self._runner = web.AppRunner(app)
            self._loop.run_until_complete(self._runner.setup())
            self._loop.run_until_complete(web.TCPSite(self._runner, "127.0.0.1", self.port).start())
            ready.set()
            self._loop.run_forever()

        threading.Thread(target=serve, daemon=True).start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
