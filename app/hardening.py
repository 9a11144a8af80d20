"""Security headers, cookie flags and error pages that never show a stack trace."""
from __future__ import annotations

import logging

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.middleware.base import BaseHTTPMiddleware

log = logging.getLogger(__name__)

# NiceGUI (Vue with runtime templates, Quasar) needs inline scripts/styles and eval.
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws: wss:; media-src 'self' blob:; "
       "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'")


class SecurityHeadersMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        response = await call_next(request)
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Permissions-Policy", "geolocation=(), microphone=(), camera=(self)")
        if _is_https(request):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def _is_https(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "") == "https"


ERROR_PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Đã có lỗi xảy ra</title></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 3rem auto; padding: 1rem">
<h1>Đã có lỗi xảy ra</h1><p>Hệ thống chưa xử lý được yêu cầu này. Dữ liệu của bạn không bị mất.
Vui lòng thử lại, hoặc báo cho quản trị hệ thống kèm thời điểm xảy ra lỗi.</p>
<p><a href="/">Về trang chủ</a></p></body></html>"""


async def error_page(request: Request, exc: Exception) -> HTMLResponse:
    """Log the details for the IT person; show the user a calm Vietnamese page."""
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    return HTMLResponse(ERROR_PAGE, status_code=500)
