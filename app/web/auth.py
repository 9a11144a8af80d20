"""Browser sessions for NiceGUI: the browser keeps a random token in app.storage.user; the
database keeps the session (so several app instances can share it, and sign-out ends it).

A sign-in ends on the HTTP route /login/done, which gives the browser a new NiceGUI browser id
(the cookie that keys app.storage.user): whoever knew the cookie before the sign-in (a shared desk
tablet) holds nothing after it. Page loads ask `resolve` (cached a few seconds); actions ask
`resolve_fresh` through app.web.actions.run_action, which never uses the cache."""
from __future__ import annotations

import hashlib
import os
import secrets
import time
import uuid
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app, run, ui
from nicegui import storage as nicegui_storage
from sqlmodel import Session

from app.db import session_scope, write_scope
from app.settings import get_settings
from domain.access import CurrentUser, load_current_user
from domain.accounts import session_account, session_state, sign_out
from domain.audit import Actor, actor_of
from domain.redirects import safe_redirect

PUBLIC_PREFIXES = ("/_nicegui", "/login", "/verify", "/healthz", "/static", "/favicon", "/forgot-password",
                   "/api/v1")  # the API checks its own keys (app/api/security.py)
TICKET_SECONDS = 60


def is_public(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") or path.startswith(p + "?") for p in PUBLIC_PREFIXES)


def browser_storage():
    """This tab's app.storage.user, found from the tab's own page request (NiceGUI points to it for a
    real websocket event; the User test harness does not, so say it here)."""
    try:
        request = ui.context.client.request
    except (RuntimeError, AttributeError):
        request = None
    if request is not None:
        nicegui_storage.request_contextvar.set(request)
    return app.storage.user


def session_token() -> str | None:
    """The token this browser holds now (read at the moment of a click, not when the page was drawn)."""
    try:
        return browser_storage().get("token")
    except (RuntimeError, AssertionError):
        return None


def idle_limits() -> dict[str, int]:
    settings = get_settings()
    return {"official": settings.idle_minutes, "citizen": settings.citizen_idle_minutes}


# A page load asks "who is this?" twice (middleware, page) and each answer costs several queries;
# answers are kept a few seconds per process. Sign-out and password changes forget them at once;
# actions never use them (app.web.actions resolves afresh).
CACHE_SECONDS = 5.0  # AUTH_CACHE_SECONDS overrides (the tests set 0: they edit the database behind our back)
_cache: dict[str, tuple[float, CurrentUser | None, str]] = {}


def resolve_fresh(session: Session, token: str | None) -> tuple[CurrentUser | None, str]:
    """(user, state) from the database now; state is 'active', 'expired', 'disabled' or 'none'."""
    if not token:
        return None, "none"
    limits = idle_limits()
    account = session_account(session, token, idle_minutes=limits)
    if account is not None:
        return load_current_user(session, account), "active"
    state = session_state(session, token, idle_minutes=limits)
    return None, "disabled" if state == "active" else state


def resolve(token: str | None) -> tuple[CurrentUser | None, str]:
    """(user, state) for a page load, cached CACHE_SECONDS."""
    if not token:
        return None, "none"
    now = time.monotonic()
    ttl = float(os.environ.get("AUTH_CACHE_SECONDS", CACHE_SECONDS))
    hit = _cache.get(token) if ttl > 0 else None
    if hit is not None and hit[0] > now:
        return hit[1], hit[2]
    with session_scope() as session:
        user, state = resolve_fresh(session, token)
    if len(_cache) > 5000:
        _cache.clear()
    _cache[token] = (now + ttl, user, state)
    return user, state


def forget(token: str | None = None) -> None:
    """Drop cached answers: for one token (sign-out), or all (a password change ends other sessions)."""
    if token is None:
        _cache.clear()
    else:
        _cache.pop(token, None)


def current_user() -> CurrentUser | None:
    """The signed-in user for this browser, or None."""
    return resolve(session_token())[0]


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
    return actor_of(user, user.client_addr or client_addr(request))


# --- sign-in completion and sign-out ----------------------------------------------------------------

def begin_session(token: str, target: str) -> None:
    """After the password was checked (websocket handler): park the token under a one-time ticket and
    send this tab to /login/done, which moves it to a new browser id."""
    ticket = secrets.token_urlsafe(24)
    browser_storage()["pending"] = {"ticket": _digest(ticket), "token": token, "at": time.time()}
    ui.navigate.to(f"/login/done?ticket={ticket}&redirect_to={quote(safe_redirect(target), safe='')}")


async def complete_sign_in(request: Request, ticket: str = "", redirect_to: str = "/") -> RedirectResponse:
    """GET /login/done (registered by pages.login): the ticket proves this is the tab that signed in."""
    old = app.storage.user
    pending = old.get("pending") or {}
    if (
        not ticket
        or pending.get("ticket") != _digest(ticket)
        or time.time() - pending.get("at", 0) > TICKET_SECONDS
    ):
        return RedirectResponse("/login", status_code=303)
    previous = old.get("token")
    old.clear()
    if previous and previous != pending["token"]:
        await run.io_bound(_end_session, previous, client_addr(request))  # the tablet moves to another person
    browser_id = str(uuid.uuid4())
    request.session["id"] = browser_id  # SessionMiddleware sends the new cookie with this response
    await app.storage._create_user_storage(browser_id)  # noqa: SLF001 (NiceGUI creates it on the next request only)
    app.storage._users[browser_id]["token"] = pending["token"]
    return RedirectResponse(safe_redirect(redirect_to), status_code=303)


async def sign_out_here() -> None:
    """The sign-out button (a websocket event: a link or another site's form cannot trigger it)."""
    token = session_token()
    if token:
        await run.io_bound(_end_session, token, client_addr())
    forget(token)
    browser_storage().clear()
    ui.navigate.to("/login")


def _end_session(token: str, addr: str) -> None:
    with write_scope() as session:
        user, _ = resolve_fresh(session, token)
        actor = actor_of(user, addr) if user else Actor(None, "", addr)
        sign_out(session, token, actor)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class AuthMiddleware:
    """Send every non-public request without a live session to /login?redirect_to=…
    (plain ASGI: BaseHTTPMiddleware costs a task and a stream per request)."""

    def __init__(self, asgi_app):
        self.app = asgi_app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or is_public(scope["path"]):
            await self.app(scope, receive, send)
            return
        user, state = resolve(app.storage.user.get("token"))
        if user is not None:
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        target = scope["path"] + (f"?{query}" if query else "")
        extra = "&expired=1" if state == "expired" else ""
        response = RedirectResponse(f"/login?redirect_to={quote(target, safe='')}{extra}")
        await response(scope, receive, send)
