"""A body-size limit enforced while the request streams in, before anything is buffered (plain ASGI).

NiceGUI's upload route parses the whole multipart body (spooling it to /tmp) before any handler can
look at a size; this middleware stops an upload earlier: at once when Content-Length is over the
limit, else as soon as the bytes received pass it. The limit of an upload route is the element's own
`max_file_size` (the public /verify upload: 20 MB) or, without one, MAX_SCAN_MB, counted per file
between multipart boundaries; a batch upload (files picked together, one request) may carry up to
BATCH_FILES such files unless the element sets `max_total_size`. Any other request body is held to
MAX_SCAN_MB. A multipart envelope gets a little room on top.

An element with the prop `public-upload` (the /verify upload) is open to everyone: each POST to it is
also charged to the client address's budget (app.web.public_limits: uploads and bytes a minute), refused
with 429 from its headers alone when over, or while it streams when it declared no length."""
from __future__ import annotations

import re

from nicegui import Client

from app.settings import get_settings
from app.web import public_limits

UPLOAD_PATH = re.compile(r"^/_nicegui/client/([^/]+)/upload/(\d+)$")
ENVELOPE = 64 * 1024  # multipart boundaries and part headers
BATCH_FILES = 25  # a batch upload (files picked together, one request) without its own total limit
TOO_LARGE = "Tệp gửi lên vượt quá giới hạn dung lượng ({mb} MB). Hãy quét/chụp lại với độ phân giải thấp hơn."


class BodyTooLarge(Exception):
    """Raised from receive(); Starlette's multipart parser closes (deletes) what it spooled so far."""


def limits_for(path: str) -> tuple[int, int]:
    """(per file, whole body) in bytes for a POST to `path`."""
    default = get_settings().max_scan_mb * 1024 * 1024
    match = UPLOAD_PATH.match(path)
    if match is None:
        return default, default + ENVELOPE
    per_file, total = _element_limits(match.group(1), int(match.group(2)), default)
    return per_file, total + ENVELOPE


def is_public_upload(path: str) -> bool:
    """True for an upload element marked `public-upload` (no sign-in: limited per client address)."""
    match = UPLOAD_PATH.match(path)
    return match is not None and bool(_props(match.group(1), int(match.group(2))).get("public-upload"))


def _props(client_id: str, element_id: int) -> dict:
    client = Client.instances.get(client_id)
    element = client.elements.get(element_id) if client is not None else None
    return element.props if element is not None else {}


def _element_limits(client_id: str, element_id: int, default: int) -> tuple[int, int]:
    props = _props(client_id, element_id)
    per_file = _positive(props.get("max-file-size")) or default
    total = _positive(props.get("max-total-size"))
    if total is None:
        total = per_file * (BATCH_FILES if props.get("batch") else 1)
    return per_file, total


def _positive(value) -> int | None:
    return int(value) if isinstance(value, (int, float)) and value > 0 else None


class _PartCounter:
    """Bytes since the last multipart boundary: the size of the file being received."""

    def __init__(self, scope):
        self.boundary = _boundary(scope)
        self.tail, self.part = b"", 0

    def feed(self, chunk: bytes) -> int:
        if not self.boundary:
            self.part += len(chunk)
            return self.part
        data = self.tail + chunk
        last = data.rfind(self.boundary)
        if last >= 0:
            self.part = len(data) - last - len(self.boundary)
        else:
            self.part += len(chunk)
        self.tail = data[-(len(self.boundary) - 1):]
        return self.part


def _boundary(scope) -> bytes | None:
    for name, value in scope.get("headers") or []:
        if name == b"content-type" and b"boundary=" in value:
            return b"--" + value.split(b"boundary=", 1)[1].split(b";")[0].strip(b'"')
    return None


class UploadLimitMiddleware:
    def __init__(self, asgi_app):
        self.app = asgi_app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        per_file, total = limits_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > total:
            await _refuse(send, min(per_file, total))  # nothing read: refused from the header alone
            return
        addr = (scope.get("client") or ("",))[0] or ""
        public = is_public_upload(scope["path"])
        if public and (refusal := public_limits.charge_upload(addr, declared)):
            await _refuse_busy(send, refusal)  # nothing read: this address spent its minute's budget
            return
        state = {"received": 0, "over": False, "started": False}
        parts = _PartCounter(scope)

        charged = addr if public and declared is None else None  # bytes counted as they come

        async def limited_receive():
            message = await receive()
            if message["type"] == "http.request":
                _check_chunk(state, message.get("body", b""), parts, per_file, total, charged)
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
            if state.get("budget"):
                await _refuse_busy(send, public_limits.too_many_text())
            else:
                await _refuse(send, per_file)


def _check_chunk(state: dict, chunk: bytes, parts: _PartCounter, per_file: int, total: int,
                 charged: str | None) -> None:
    state["received"] += len(chunk)
    if state["received"] > total or parts.feed(chunk) > per_file + ENVELOPE:
        state["over"] = True
        raise BodyTooLarge("request body over the limit")
    if charged is not None and not public_limits.budget().add_bytes(charged, len(chunk)):
        state["over"] = state["budget"] = True
        raise BodyTooLarge("over the address's upload budget")


def _content_length(scope) -> int | None:
    for name, value in scope.get("headers") or []:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send, limit: int) -> None:
    await _answer(send, 413, TOO_LARGE.format(mb=max(1, limit // (1024 * 1024))))


async def _refuse_busy(send, text: str) -> None:
    await _answer(send, 429, text, [(b"retry-after", b"60")])


async def _answer(send, status: int, text: str, extra: list | None = None) -> None:
    body = text.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close"),
                            (b"content-length", str(len(body)).encode()), *(extra or [])]})
    await send({"type": "http.response.body", "body": body})
