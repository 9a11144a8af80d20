"""Security headers, cookie flags and error pages that never show a stack trace."""
from __future__ import annotations

import logging

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import MutableHeaders

from app.logs import new_request_id

log = logging.getLogger(__name__)

# NiceGUI (Vue with runtime templates, Quasar) needs inline scripts/styles and eval.
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws: wss:; media-src 'self' blob:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response (plain ASGI, cheap on the hot path)."""

    def __init__(self, asgi_app):
        self.app = asgi_app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = _is_https(scope)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in BASE_HEADERS:
                    if name not in headers:
                        headers[name] = value
                if https and "strict-transport-security" not in headers:
                    headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
            await send(message)

        await self.app(scope, receive, send_with_headers)


BASE_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Permissions-Policy", "geolocation=(), microphone=(), camera=(self)"),
)


def _is_https(scope) -> bool:
    headers = dict(scope.get("headers") or [])
    return scope.get("scheme") == "https" or headers.get(b"x-forwarded-proto", b"") == b"https"


ERROR_PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Đã có lỗi xảy ra</title></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 3rem auto; padding: 1rem">
<h1>Đã có lỗi xảy ra</h1><p>Hệ thống chưa xử lý được yêu cầu này. Dữ liệu của bạn không bị mất.
Vui lòng thử lại, hoặc báo cho quản trị hệ thống kèm thời điểm xảy ra lỗi và mã lỗi {request_id}.</p>
<p><a href="/">Về trang chủ</a></p></body></html>"""


async def error_page(request: Request, exc: Exception) -> HTMLResponse:
    """Log the details for the IT person; show the user a calm Vietnamese page."""
    request_id = new_request_id()
    log.error("unhandled error on %s [request %s]", request.url.path, request_id, exc_info=exc)
    return HTMLResponse(ERROR_PAGE.replace("{request_id}", request_id), status_code=500)
