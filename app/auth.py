"""Browser sessions for NiceGUI: the browser keeps a random token in app.storage.user; the
database keeps the session (so several app instances can share it, and sign-out ends it)."""
from __future__ import annotations

import os
import time
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


# A page load asks "who is this?" twice (middleware, page) and each answer costs several queries;
# answers are kept a few seconds per process. Sign-out and password changes forget them at once;
# an administrator's change (rights, deactivation) shows within CACHE_SECONDS.
CACHE_SECONDS = 5.0  # AUTH_CACHE_SECONDS overrides (the tests set 0: they edit the database behind our back)
_cache: dict[tuple[str, int | None], tuple[float, CurrentUser | None, str]] = {}


def resolve(token: str | None, office_id: int | None = None) -> tuple[CurrentUser | None, str]:
    """(user, state) for a session token; state is 'active', 'expired' or 'none'."""
    if not token:
        return None, "none"
    key = (token, office_id)
    now = time.monotonic()
    ttl = float(os.environ.get("AUTH_CACHE_SECONDS", CACHE_SECONDS))
    hit = _cache.get(key) if ttl > 0 else None
    if hit is not None and hit[0] > now:
        return hit[1], hit[2]
    with session_scope() as session:
        account = session_account(session, token)
        if account is None:
            user, state = None, session_state(session, token)
        else:
            user, state = load_current_user(session, account, office_id), "active"
    if len(_cache) > 5000:
        _cache.clear()
    _cache[key] = (now + ttl, user, state)
    return user, state


def forget(token: str | None) -> None:
    """Drop the cached answers for a token (after sign-out or a password change)."""
    for key in [k for k in _cache if k[0] == token]:
        _cache.pop(key, None)


def current_user() -> CurrentUser | None:
    """The signed-in user for this browser, or None."""
    token = _token()
    office_id = app.storage.user.get("office_id") if token else None
    return resolve(token, office_id)[0]


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
        user, state = resolve(token, app.storage.user.get("office_id") if token else None)
        if user is not None:
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        target = scope["path"] + (f"?{query}" if query else "")
        extra = "&expired=1" if state == "expired" else ""
        response = RedirectResponse(f"/login?redirect_to={quote(target, safe='')}{extra}")
        await response(scope, receive, send)
