"""Browser sessions for NiceGUI: the browser keeps a random token in app.storage.user; the
database keeps the session (so several app instances can share it, and sign-out ends it)."""
from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app, ui
from starlette.middleware.base import BaseHTTPMiddleware

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


class AuthMiddleware(BaseHTTPMiddleware):
    """Send every non-public request without a live session to /login?redirect_to=…"""

    async def dispatch(self, request: Request, call_next):
        path = request.url.path
        if not is_public(path):
            token = app.storage.user.get("token")
            with session_scope() as session:
                live = session_account(session, token) is not None
                state = "active" if live else session_state(session, token)
            if not live:
                target = path + (f"?{request.url.query}" if request.url.query else "")
                extra = "&expired=1" if state == "expired" else ""
                return RedirectResponse(f"/login?redirect_to={quote(target, safe='')}{extra}")
        return await call_next(request)
