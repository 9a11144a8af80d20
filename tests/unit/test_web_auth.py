"""app/web/auth.py's rules without a server: which paths need a session, the few-second cache of "who is
this?", the one-time sign-in ticket, sign-out and the redirect to /login. NiceGUI's storage, navigation and
io_bound are replaced by small stand-ins and the database by the in-memory unit of work (tests.fakes); the
same paths through the real server are tests/ui/test_trust_boundaries.py and tests/ui/test_login*.py."""
from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import select

from app.settings import reload_settings
from app.web import auth
from domain import accounts
from domain.clock import utcnow
from domain.models import Account, AuditEvent, UserSession
from domain.security import hash_password
from tests.fakes import cheap_hashing, memory_unit_of_work, run
from tests.unit import rows

RIGHT = "Dung-mat-khau-1"


class Storage:
    """app.storage as auth.py uses it: the browser's `user` dict and the per-browser store."""

    def __init__(self, user: dict | None = None):
        self.user = {} if user is None else user
        self._users: dict[str, dict] = {}

    async def _create_user_storage(self, browser_id: str) -> None:
        self._users[browser_id] = {}


class Navigate:
    def __init__(self):
        self.to_urls: list[str] = []

    def to(self, url: str) -> None:
        self.to_urls.append(url)


async def io_bound(fn, *args):
    return fn(*args)


@pytest.fixture
def uow(monkeypatch):
    with memory_unit_of_work() as uow, cheap_hashing():
        @contextlib.contextmanager
        def scope():
            yield uow
            uow.flush()

        monkeypatch.setattr(auth, "session_scope", scope)
        monkeypatch.setattr(auth, "write_scope", scope)
        yield uow


@pytest.fixture
def browser(monkeypatch):
    """This browser's storage, navigation and the io_bound runner, in place of NiceGUI's."""
    storage = Storage()
    navigate = Navigate()
    monkeypatch.setattr(auth, "app", SimpleNamespace(storage=storage))
    monkeypatch.setattr(auth, "run", SimpleNamespace(io_bound=io_bound))
    monkeypatch.setattr(auth, "ui", SimpleNamespace(navigate=navigate, context=SimpleNamespace()))
    monkeypatch.setattr(auth, "browser_storage", lambda: storage.user)
    auth.forget()
    yield SimpleNamespace(storage=storage, navigate=navigate)
    auth.forget()


class Clock:
    """time.monotonic and time.time as auth.py reads them, moved by hand."""

    def __init__(self):
        self.now = 1_000.0

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(auth, "time", fake)
    return fake


@pytest.fixture
def settings(monkeypatch):
    def apply(**env):
        for name, value in env.items():
            monkeypatch.setenv(name, str(value))
        reload_settings()

    yield apply
    monkeypatch.undo()
    reload_settings()


def signed_in(uow, username="canbo", kind="official", addr="10.0.0.1") -> str:
    office = rows.office(uow)
    if kind == "official":
        rows.official(uow, office, username=username, password_hash=hash_password(RIGHT))
    else:
        rows.citizen(uow, username, password_hash=hash_password(RIGHT))
    run(uow, lambda s: None)
    return run(uow, accounts.sign_in, username, RIGHT, client_addr=addr).token


def request(host: str | None = "10.0.0.9"):
    return SimpleNamespace(client=SimpleNamespace(host=host) if host is not None else None, session={})


# --- which paths need a session ----------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/_nicegui", "/_nicegui/client/x", "/login", "/login/done", "/login?x=1",
                                  "/verify", "/verify/ABC", "/healthz", "/static/app.css", "/favicon",
                                  "/favicon/x.png", "/forgot-password", "/forgot-password?step=2",
                                  "/api/v1", "/api/v1/copies/1"])
def test_public_paths_need_no_session(path):
    assert auth.is_public(path)


@pytest.mark.parametrize("path", ["/", "/dossiers", "/loginx", "/login-as", "/verifyx", "/api/v2/x", "/api",
                                  "/admin/login", "/staticx", "/healthzz"])
def test_other_paths_need_a_session(path):
    assert not auth.is_public(path)


# --- who is this browser -----------------------------------------------------------------------------

def test_the_storage_is_the_one_of_the_tab_that_asks(monkeypatch):
    """NiceGUI finds app.storage.user from the request in its context variable: set it from the tab's own
    page request (a websocket event of that tab), leave it alone outside a page."""
    from nicegui import storage as nicegui_storage

    storage = Storage({"token": "t"})
    tab = request()
    monkeypatch.setattr(auth, "app", SimpleNamespace(storage=storage))
    in_page = SimpleNamespace(context=SimpleNamespace(client=SimpleNamespace(request=tab)))
    monkeypatch.setattr(auth, "ui", in_page)
    before = nicegui_storage.request_contextvar.set(None)
    try:
        assert auth.browser_storage() is storage.user
        assert nicegui_storage.request_contextvar.get() is tab
        nicegui_storage.request_contextvar.set(None)
        monkeypatch.setattr(auth, "ui", SimpleNamespace(context=SimpleNamespace()))  # no page
        assert auth.browser_storage() is storage.user
        assert nicegui_storage.request_contextvar.get() is None
        monkeypatch.setattr(auth, "ui", SimpleNamespace(context=SimpleNamespace(client=SimpleNamespace(
            request=None))))  # a page with no request (the test harness)
        assert auth.browser_storage() is storage.user
        assert nicegui_storage.request_contextvar.get() is None
    finally:
        nicegui_storage.request_contextvar.reset(before)


def test_the_token_is_read_from_this_browsers_storage(browser):
    assert auth.session_token() is None
    browser.storage.user["token"] = "t-1"
    assert auth.session_token() == "t-1"


def test_no_storage_means_no_token(monkeypatch):
    def refused():
        raise RuntimeError("no storage outside a page")

    monkeypatch.setattr(auth, "browser_storage", refused)
    assert auth.session_token() is None


def test_the_idle_limits_come_from_the_settings(settings):
    settings(IDLE_MINUTES=12, CITIZEN_IDLE_MINUTES=7)
    assert auth.idle_limits() == {"official": 12, "citizen": 7}


def test_resolve_fresh_tells_active_expired_disabled_and_none(uow, settings):
    settings(IDLE_MINUTES=30, CITIZEN_IDLE_MINUTES=5)
    token = signed_in(uow)
    user, state = auth.resolve_fresh(uow, token)
    assert (user.username, user.kind, state) == ("canbo", "official", "active")
    assert auth.resolve_fresh(uow, None) == (None, "none")
    assert auth.resolve_fresh(uow, "") == (None, "none")
    assert auth.resolve_fresh(uow, "not-a-token") == (None, "none")
    row = uow.exec(select(UserSession)).one()
    row.last_seen_at = utcnow() - timedelta(minutes=10)  # idle 10 minutes: within the officials' 30
    assert auth.resolve_fresh(uow, token)[1] == "active"
    account = uow.get(Account, row.account_id)
    account.status = "disabled"
    assert auth.resolve_fresh(uow, token) == (None, "disabled")
    account.status = "active"
    row.last_seen_at = utcnow() - timedelta(minutes=31)
    assert auth.resolve_fresh(uow, token) == (None, "expired")


def test_a_citizen_is_held_to_the_citizens_idle_limit(uow, settings):
    settings(IDLE_MINUTES=30, CITIZEN_IDLE_MINUTES=5)
    token = signed_in(uow, "001099012345", kind="citizen")
    uow.exec(select(UserSession)).one().last_seen_at = utcnow() - timedelta(minutes=6)
    assert auth.resolve_fresh(uow, token) == (None, "expired")


def test_a_page_load_answer_is_kept_a_few_seconds_then_asked_again(uow, browser, clock, monkeypatch):
    monkeypatch.setenv("AUTH_CACHE_SECONDS", "1")
    token = signed_in(uow)
    assert auth.resolve(token)[1] == "active"
    accounts.end_sessions(uow, uow.exec(select(UserSession)).one().account_id)
    start = clock.now
    clock.now = start + 0.999
    user, state = auth.resolve(token)  # the cached answer
    assert (user.username, state) == ("canbo", "active")
    clock.now = start + 1  # its second is over
    assert auth.resolve(token) == (None, "none")
    assert auth.resolve(None) == (None, "none")
    assert auth.resolve("") == (None, "none")


def test_without_a_cache_every_page_load_asks_the_database(uow, browser, monkeypatch):
    monkeypatch.setenv("AUTH_CACHE_SECONDS", "0")
    token = signed_in(uow)
    assert auth.resolve(token)[1] == "active"
    accounts.end_sessions(uow, uow.exec(select(UserSession)).one().account_id)
    assert auth.resolve(token) == (None, "none")


def test_the_cache_is_five_seconds_unless_set(uow, browser, monkeypatch):
    monkeypatch.delenv("AUTH_CACHE_SECONDS", raising=False)
    token = signed_in(uow)
    before = time.monotonic()
    auth.resolve(token)
    assert before + 4.9 < auth._cache[token][0] <= time.monotonic() + 5


def test_forget_drops_one_answer_or_all(uow, browser, monkeypatch):
    monkeypatch.setenv("AUTH_CACHE_SECONDS", "5")
    token = signed_in(uow)
    auth.resolve(token)
    auth.resolve("other")
    auth.forget("other")
    assert set(auth._cache) == {token}
    auth.forget("unknown")
    auth.forget()
    assert auth._cache == {}


def test_the_cache_is_emptied_past_five_thousand_answers(uow, browser, monkeypatch):
    monkeypatch.setenv("AUTH_CACHE_SECONDS", "5")
    auth._cache.update({f"t{i}": (time.monotonic() + 5, None, "none") for i in range(5000)})
    auth.resolve("a")
    assert len(auth._cache) == 5001
    auth.resolve("b")
    assert set(auth._cache) == {"b"}


def test_current_user_is_this_browsers(uow, browser, monkeypatch):
    monkeypatch.setenv("AUTH_CACHE_SECONDS", "0")
    assert auth.current_user() is None
    browser.storage.user["token"] = signed_in(uow)
    assert auth.current_user().username == "canbo"


def test_the_clients_address_or_nothing(browser):
    assert auth.client_addr(request("203.0.113.5")) == "203.0.113.5"
    auth.ui.context.client = SimpleNamespace(request=request("198.51.100.7"))  # inside a page
    assert auth.client_addr() == "198.51.100.7"
    del auth.ui.context.client
    assert auth.client_addr(request(None)) == ""
    assert auth.client_addr(request("")) == ""
    assert auth.client_addr() == ""  # no page, no request


def test_the_actor_is_at_the_users_address_else_the_requests(uow):
    user = SimpleNamespace(account_id=7, full_name="Cán Bộ", client_addr="")
    assert auth.actor_for(user, request("203.0.113.5")) == auth.Actor(7, "Cán Bộ", "203.0.113.5")
    user.client_addr = "10.0.0.3"
    assert auth.actor_for(user, request("203.0.113.5")) == auth.Actor(7, "Cán Bộ", "10.0.0.3")


# --- the one-time sign-in ticket -----------------------------------------------------------------------

def begin(browser, token="new-token", target="/dossiers?page=2") -> str:
    auth.begin_session(token, target)
    url = urlsplit(browser.navigate.to_urls[-1])
    assert url.path == "/login/done"
    query = parse_qs(url.query)
    assert query["redirect_to"] == [target if target.startswith("/") and "//" not in target else "/"]
    return query["ticket"][0]


def complete(browser, ticket, redirect_to="/dossiers?page=2", req=None):
    req = req or request()
    response = asyncio.run(auth.complete_sign_in(req, ticket, redirect_to))
    assert response.status_code == 303
    return response.headers["location"], req


def test_every_sign_in_gets_its_own_new_browser_id(browser):
    ids = {complete(browser, begin(browser, token=f"t{n}"))[1].session["id"] for n in range(2)}
    assert len(ids) == 2 and all(len(browser_id) == 36 for browser_id in ids)  # random UUIDs


def test_a_ticket_is_good_for_a_minute(browser, clock):
    ticket = begin(browser)
    clock.now += auth.TICKET_SECONDS
    assert complete(browser, ticket)[0] == "/dossiers?page=2"


def test_the_ticket_moves_the_token_to_a_new_browser_id(browser):
    ticket = begin(browser)
    pending = browser.storage.user["pending"]
    assert pending["token"] == "new-token" and pending["ticket"] != ticket  # only its digest is kept
    assert abs(pending["at"] - time.time()) < 5
    old = browser.storage.user
    location, req = complete(browser, ticket)
    assert location == "/dossiers?page=2"
    assert old == {}  # whoever holds the old browser id holds nothing
    new_id = req.session["id"]
    assert browser.storage._users[new_id] == {"token": "new-token"}


def test_the_target_is_kept_only_on_this_site(browser):
    ticket = begin(browser, target="//evil.example/x")
    assert complete(browser, ticket, redirect_to="//evil.example/x")[0] == "/"


def test_a_wrong_missing_or_stale_ticket_goes_back_to_login(browser):
    ticket = begin(browser)
    assert complete(browser, "")[0] == "/login"
    assert complete(browser, ticket + "x")[0] == "/login"
    browser.storage.user["pending"]["at"] = time.time() - auth.TICKET_SECONDS - 1
    assert complete(browser, ticket)[0] == "/login"
    assert "pending" in browser.storage.user  # nothing was cleared
    browser.storage.user["pending"]["at"] = time.time() - auth.TICKET_SECONDS + 5
    assert complete(browser, ticket)[0] == "/dossiers?page=2"


def test_a_ticket_without_a_pending_sign_in_goes_back_to_login(browser):
    assert complete(browser, "some-ticket")[0] == "/login"
    browser.storage.user["pending"] = {"ticket": auth._digest("some-ticket"), "token": "t"}
    assert complete(browser, "some-ticket")[0] == "/login"  # no time: as old as can be


def test_a_shared_tablet_ends_the_previous_persons_session(uow, browser):
    before = signed_in(uow, "truoc")
    browser.storage.user["token"] = before
    ticket = begin(browser, token=signed_in(uow, "sau"))
    complete(browser, ticket, req=request("10.0.0.8"))
    assert accounts.session_state(uow, before) == "none"
    [event] = uow.exec(select(AuditEvent).where(AuditEvent.action == "sign_out")).all()
    assert (event.actor_name, event.client_addr) == ("Cán Bộ Thử", "10.0.0.8")


def test_signing_in_again_with_the_same_session_ends_nothing(uow, browser):
    token = signed_in(uow)
    browser.storage.user["token"] = token
    complete(browser, begin(browser, token=token))
    assert accounts.session_state(uow, token) == "active"


# --- sign-out --------------------------------------------------------------------------------------------

def test_the_sign_out_button_ends_the_session_and_forgets_it(uow, browser, monkeypatch):
    monkeypatch.setenv("AUTH_CACHE_SECONDS", "5")
    auth.ui.context.client = SimpleNamespace(request=request("198.51.100.7"))
    token = signed_in(uow)
    browser.storage.user.update(token=token, other="x")
    auth.resolve(token)
    asyncio.run(auth.sign_out_here())
    assert accounts.session_state(uow, token) == "none"
    assert token not in auth._cache and browser.storage.user == {}
    assert browser.navigate.to_urls == ["/login"]
    [event] = uow.exec(select(AuditEvent).where(AuditEvent.action == "sign_out")).all()
    assert (event.actor_name, event.client_addr) == ("Cán Bộ Thử", "198.51.100.7")
    assert event.actor_id is not None


def test_sign_out_without_a_session_just_goes_to_login(uow, browser):
    asyncio.run(auth.sign_out_here())
    assert browser.navigate.to_urls == ["/login"]
    assert uow.exec(select(AuditEvent).where(AuditEvent.action == "sign_out")).all() == []


def test_an_expired_sessions_sign_out_is_audited_without_a_name(uow, browser):
    token = signed_in(uow)
    uow.exec(select(UserSession)).one().last_seen_at = utcnow() - timedelta(hours=1)
    auth._end_session(token, "10.0.0.4")
    [event] = uow.exec(select(AuditEvent).where(AuditEvent.action == "sign_out")).all()
    assert (event.actor_id, event.actor_name, event.client_addr) == (None, "", "10.0.0.4")


# --- the middleware -----------------------------------------------------------------------------------

def through_middleware(browser, path, query=b"", kind="http"):
    reached, sent = [], []

    async def inner(scope, receive, send):  # the app behind: reads the request, answers
        reached.append((scope["path"], (await receive())["type"]))
        await send({"type": "http.response.start", "status": 200, "headers": []})

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    scope = {"type": kind, "path": path, "headers": []}
    if query is not None:
        scope["query_string"] = query
    asyncio.run(auth.AuthMiddleware(inner)(scope, receive, send))
    if reached:
        assert reached == [(path, "http.request")] and sent[0]["status"] == 200
        return "reached"
    start = sent[0]
    headers = dict(start["headers"])
    return start["status"], headers[b"location"].decode()


def test_a_page_without_a_session_is_sent_to_login_and_back(uow, browser, monkeypatch):
    monkeypatch.setenv("AUTH_CACHE_SECONDS", "0")
    assert through_middleware(browser, "/dossiers", b"page=2&q=a b") == (
        307, "/login?redirect_to=%2Fdossiers%3Fpage%3D2%26q%3Da%20b")
    assert through_middleware(browser, "/dossiers") == (307, "/login?redirect_to=%2Fdossiers")
    assert through_middleware(browser, "/dossiers", None) == (307, "/login?redirect_to=%2Fdossiers")
    assert through_middleware(browser, "/login") == "reached"
    assert through_middleware(browser, "/dossiers", kind="websocket") == "reached"


def test_a_live_session_passes_and_an_expired_one_is_told_so(uow, browser, monkeypatch):
    monkeypatch.setenv("AUTH_CACHE_SECONDS", "0")
    browser.storage.user["token"] = signed_in(uow)
    assert through_middleware(browser, "/dossiers") == "reached"
    uow.exec(select(UserSession)).one().last_seen_at = utcnow() - timedelta(hours=1)
    assert through_middleware(browser, "/dossiers") == (307, "/login?redirect_to=%2Fdossiers&expired=1")
