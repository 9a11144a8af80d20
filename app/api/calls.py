"""Every call to the API leaves one audit line (client, method, path, status, address), written off the
event loop after the answer went out; a refused call (no key, wrong key) is recorded without a client."""
from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool

from app.db import write_scope
from domain import api_clients

log = logging.getLogger(__name__)


class CallLogMiddleware:
    """Plain ASGI around the API's app: notes the status, then records the call."""

    def __init__(self, asgi_app):
        self.app = asgi_app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = {"code": 500}

        async def noting_send(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_send)
        finally:
            state = scope.get("state") or {}
            client = scope.get("client")
            root, path = scope.get("root_path", ""), scope["path"]
            path = path if path.startswith(root) else root + path  # a mount's path is full or relative
            await run_in_threadpool(_record, state.get("api_client_id"), scope.get("method", ""), path,
                                    status["code"], client[0] if client else "")


def _record(client_id: int | None, method: str, path: str, status: int, addr: str) -> None:
    try:
        with write_scope() as session:
            api_clients.record_call(session, client_id, method, path, status, addr)
    except Exception:  # noqa: BLE001 — the answer is already sent; say so in the log
        log.exception("could not record API call %s %s", method, path)
