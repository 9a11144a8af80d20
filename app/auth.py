"""Browser sessions for NiceGUI: the browser keeps a random token in app.storage.user; the
database keeps the session (so several app instances can share it, and sign-out ends it)."""
from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app, ui

from app.db import session_scope
from domain.access import CurrentUser, load_current_user
from domain.accounts import session_account, session_state
from domain.audit import Actor

PUBLIC_PREFIXES = ("/_nicegui", "/login", "/verify", "/healthz", "/static", "/favicon", "/forgot-password")


def is_public(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") or path.startswith(p + "?") for p in PUBLIC_PREFIXES)


def _token() -> str | None:
    try:
        return app.storage.user.get("token")
    except RuntimeError:
        return None


def current_user() -> CurrentUser | None:
    """The signed-in user for this browser, or None."""
    token = _token()
    if not token:
        return None
    with session_scope() as session:
        account = session_account(session, token)
        if account is None:
            return None
        return load_current_user(session, account, app.storage.user.get("office_id"))


def client_addr(request: Request | None = None) -> str:
    if request is None:
        try:
            request = ui.context.client.request
        except (RuntimeError, AttributeError):
            request = None
    if request is None or request.client is None:
        return ""
    return request.client.host or ""


def actor_for(user: CurrentUser, request: Request | None = None) -> Actor:
    return Actor(user.account_id, user.full_name, client_addr(request))


class AuthMiddleware:
    """Send every non-public request without a live session to /login?redirect_to=…
    (plain ASGI: BaseHTTPMiddleware costs a task and a stream per request)."""

    def __init__(self, asgi_app):
        self.app = asgi_app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or is_public(scope["path"]):
            await self.app(scope, receive, send)
            return
        token = app.storage.user.get("token")
        with session_scope() as session:
            live = session_account(session, token) is not None
            state = "active" if live else session_state(session, token)
        if live:
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        target = scope["path"] + (f"?{query}" if query else "")
        extra = "&expired=1" if state == "expired" else ""
        response = RedirectResponse(f"/login?redirect_to={quote(target, safe='')}{extra}")
        await response(scope, receive, send)
