"""A body-size limit enforced while the request streams in, before anything is buffered (plain ASGI).

NiceGUI's upload route parses the whole multipart body (spooling it to /tmp) before any handler can
look at a size; this middleware stops an upload earlier: at once when Content-Length is over the
limit, else as soon as the bytes received pass it. The limit of an upload route is the element's own
`max_file_size` (the public /verify upload: 20 MB) or, without one, MAX_SCAN_MB; any other request
body is held to the same ceiling. A multipart envelope gets a little room on top."""
from __future__ import annotations

import re

from app.settings import get_settings

UPLOAD_PATH = re.compile(r"^/_nicegui/client/([^/]+)/upload/(\d+)$")
ENVELOPE = 64 * 1024  # multipart boundaries and part headers
TOO_LARGE = "Tệp gửi lên vượt quá giới hạn dung lượng ({mb} MB). Hãy quét/chụp lại với độ phân giải thấp hơn."


class BodyTooLarge(Exception):
    """Raised from receive(); Starlette's multipart parser closes (deletes) what it spooled so far."""


def limit_for(path: str) -> int:
    default = get_settings().max_scan_mb * 1024 * 1024
    match = UPLOAD_PATH.match(path)
    if match is None:
        return default + ENVELOPE
    return _element_limit(match.group(1), int(match.group(2)), default) + ENVELOPE


def _element_limit(client_id: str, element_id: int, default: int) -> int:
    from nicegui import Client

    client = Client.instances.get(client_id)
    element = client.elements.get(element_id) if client is not None else None
    size = element.props.get("max-file-size") if element is not None else None
    return int(size) if isinstance(size, (int, float)) and size > 0 else default


class UploadLimitMiddleware:
    def __init__(self, asgi_app):
        self.app = asgi_app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, limit)  # nothing read: the client is told before it sends the body
            return
        state = {"received": 0, "over": False, "started": False}

        async def limited_receive():
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > limit:
                    state["over"] = True
                    raise BodyTooLarge("request body over the limit")
            return message

        async def guarded_send(message):
            if state["over"]:
                return  # our 413 replaces whatever the app answers to the broken body
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except BodyTooLarge:
            state["over"] = True
        if state["over"] and not state["started"]:
            await _refuse(send, limit)


def _content_length(scope) -> int | None:
    for name, value in scope.get("headers") or []:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send, limit: int) -> None:
    body = TOO_LARGE.format(mb=max(1, (limit - ENVELOPE) // (1024 * 1024))).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
