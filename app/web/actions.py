"""The one way a page or component runs an action (a state change, or a read of personal data).

    outcome = await run_action(dossiers.submit, dossier_id, addr, right=Right.CREATE_COPY,
                               record=("dossier", dossier_id), success="Đã chuyển lãnh đạo ký.")
    if outcome.ok: ...

One shape of use case, three kinds of run (domain/unit_of_work.py):
- `run_action(use_case, *args)` (and `read_now`, on the event loop): `use_case(uow, user, *args)` in one
  unit of work, committed once when it returns (tx="read": without taking SQLite's write lock first);
- `run_steps(use_case, *args)`: `use_case(units, user, *args)` for the few use cases of several steps
  that must not hold a transaction across slow work (signing, sealing, closing a year, a long export):
  `units` (app.db.UNITS) opens one short unit of work per step (`with units.write() as uow:`);
- `run_public(use_case, *args)`: `use_case(uow, visitor, *args)` for the pages open to everyone, where
  `visitor` is the anonymous audit actor (domain.audit.visitor: nobody, at this address).
`user` is the account signed in *now*, carrying `client_addr`: the use case audits as
`domain.audit.actor_of(user)`. At the moment of the click, off the event loop, the runner:
1. reads this browser's session token (a sign-out in another tab has already cleared it);
2. resolves the account from the database, never from the page-load cache: a signed-out, expired
   (absolute or idle limit) or disabled session is refused, the tab goes to /login;
3. re-checks the right (withdrawn: the tab goes home) and the office of the record the action is about;
4. runs the use case as above; it writes its audit event;
5. turns a domain error into its Vietnamese message (in `message` when given, else a notification).
"""
from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

from nicegui import run, ui
from sqlalchemy.exc import OperationalError

from app.db import UNITS, session_scope, write_scope
from app.logs import new_request_id
from app.signing.factory import SignerConfigError
from app.signing.http import ServiceOutage
from app.web.auth import browser_storage, client_addr, forget, resolve_fresh, session_token
from app.web.priority import signing_thread_pool
from domain.access import CurrentUser
from domain.audit import visitor
from domain.errors import DomainError
from domain.office_scope import check_record

log = logging.getLogger(__name__)

SESSION_TEXTS = {
    "none": "Bạn đã đăng xuất hoặc phiên đăng nhập đã kết thúc. Vui lòng đăng nhập lại.",
    "expired": "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.",
    "disabled": "Tài khoản đã bị vô hiệu hóa hoặc tạm khóa. Vui lòng liên hệ quản trị hệ thống.",
}
RIGHT_WITHDRAWN = (
    "Bạn không còn quyền thực hiện thao tác này (quyền đã được thay đổi). Vui lòng liên hệ quản trị hệ thống."
)
NO_SIGNER = ("Chưa cấu hình chữ ký số (khóa ký hoặc chứng thư số) cho người ký hoặc cơ quan. "
             "Vui lòng báo quản trị hệ thống.")
DISK_FULL = ("Ổ đĩa máy chủ đã đầy nên không lưu được dữ liệu; thao tác chưa được thực hiện. "
             "Vui lòng báo quản trị hệ thống giải phóng dung lượng rồi thử lại.")


@dataclass(frozen=True)
class Outcome:
    ok: bool
    value: Any = None
    error: str = ""
    halted: bool = False  # the session or the right is gone: stop a batch, the tab is being sent away
    exception: Exception | None = None  # the domain error, for a caller that needs more than its text

    def __iter__(self):  # `ok, value = await run_action(...)`
        return iter((self.ok, self.value))


class SessionGone(Exception):
    def __init__(self, state: str):
        super().__init__(state)
        self.state = state


class RightWithdrawn(Exception):
    pass


async def run_action(
    use_case: Callable,
    *args,
    right: str | None = None,
    record: tuple[str, int | None] | None = None,
    tx: str = "write",
    citizen: bool = False,
    official: bool = False,
    message: ui.label | None = None,
    success: str | None = None,
    notify: bool = True,
    slow: bool = False,
    **kw,
) -> Outcome:
    """`use_case(uow, user, *args, **kw)` for the account signed in *now* (see the module docstring).
    `citizen=True` / `official=True`: only a citizen / an official may run it. `notify=False` leaves the
    domain error's display to the caller (in outcome.error). `slow=True`: a signing or sealing, run in
    the signing actions' own threads (see off_loop)."""
    if message is not None:
        message.text = ""
    token, addr = session_token(), client_addr()
    try:
        value = await off_loop(execute, token, addr, use_case, args, kw, right, record, tx,
                               "citizen" if citizen else "official" if official else "", slow=slow)
    except SessionGone as exc:
        return _send_away(
            SESSION_TEXTS.get(exc.state, SESSION_TEXTS["none"]), _login_target(exc.state), token
        )
    except RightWithdrawn:
        return _send_away(RIGHT_WITHDRAWN, "/", None)
    except Exception as exc:  # noqa: BLE001 — every failure becomes a calm Vietnamese message
        text = failure_text(exc)
        if notify:
            show_error(message, text)
        return Outcome(False, error=text, exception=exc)
    if success:
        ui.notify(success, type="positive")
    return Outcome(True, value)


async def run_steps(use_case: Callable, *args, **options) -> Outcome:
    """`use_case(units, user, *args, **kw)`: the same checks and answers as run_action (same options but
    `tx`), for a use case of several short units of work (see the module docstring)."""
    return await run_action(use_case, *args, tx=_STEPS, **options)


_STEPS = "steps"  # run_steps' use case opens its own units of work


async def off_loop(fn: Callable, *args, slow: bool = False) -> Any:
    """`fn(*args)` in a worker thread: NiceGUI's general pool (page reads, short actions, background
    jobs), or for `slow` work (signing, sealing: seconds to minutes, mostly waiting for the signing
    process) the small pool of app.web.priority.signing_thread_pool, so that a queue of signings never
    takes every thread a page read needs."""
    if not slow:
        return await run.io_bound(fn, *args)
    return await asyncio.get_running_loop().run_in_executor(signing_thread_pool(), fn, *args)


def read_now(
    use_case: Callable,
    *args,
    right: str | None = None,
    record: tuple[str, int | None] | None = None,
    official: bool = False,
    message: ui.label | None = None,
    **kw,
) -> Outcome:
    """The same checks for a short read that draws part of a page (on the event loop, as drawing is):
    `use_case(session, user, *args, **kw)` in a read session."""
    if message is not None:
        message.text = ""
    token = session_token()
    try:
        value = execute(
            token, client_addr(), use_case, args, kw, right, record, "read", "official" if official else ""
        )
    except SessionGone as exc:
        return _send_away(
            SESSION_TEXTS.get(exc.state, SESSION_TEXTS["none"]), _login_target(exc.state), token
        )
    except RightWithdrawn:
        return _send_away(RIGHT_WITHDRAWN, "/", None)
    except Exception as exc:  # noqa: BLE001
        text = failure_text(exc)
        show_error(message, text)
        return Outcome(False, error=text)
    return Outcome(True, value)


async def run_public(use_case: Callable, *args, tx: str = "write", **kw) -> Any:
    """An action of a page open to everyone (sign-in, password reset): nobody is signed in to check, so
    `use_case(uow, visitor, *args, **kw)` just runs off the event loop in its own unit of work (tx="read":
    without SQLite's write lock first). Its domain errors reach the caller, which words the answer itself
    (the reset page must say the same whether or not an account matched)."""
    return await run.io_bound(execute_public, client_addr(), use_case, args, kw, tx)


def execute_public(addr: str, use_case: Callable, args: tuple, kw: dict, tx: str = "write") -> Any:
    scope = write_scope if tx == "write" else session_scope
    with scope() as session:
        return use_case(session, visitor(addr), *args, **kw)


def execute(token: str | None, addr: str, use_case: Callable, args: tuple, kw: dict, right: str | None,
            record: tuple[str, int | None] | None, tx: str, kind: str = "") -> Any:
    """The worker-thread half of run_action (also usable from tests and benchmarks)."""
    scope = write_scope if tx == "write" else session_scope
    with scope() as session:
        user = _checked_user(session, token, addr, right, record, kind)
        if tx != _STEPS:
            return use_case(session, user, *args, **kw)
    return use_case(UNITS, user, *args, **kw)


def _checked_user(session, token, addr, right, record, kind) -> CurrentUser:
    user, state = resolve_fresh(session, token)
    if user is None:
        raise SessionGone(state)
    if right is not None and (user.is_citizen or not user.has(right)) \
            or kind == "citizen" and not user.is_citizen or kind == "official" and user.is_citizen:
        raise RightWithdrawn()
    if record is not None:
        check_record(session, user, record[0], record[1])
    return replace(user, client_addr=addr)


def failure_text(exc: Exception) -> str:
    """What to tell the user when a use case refuses or fails. A refusal says its own words; anything else
    is logged with a request id the user can quote to the IT person."""
    if isinstance(exc, DomainError):
        return exc.message
    if isinstance(exc, SignerConfigError):
        log.warning("signer not configured: %s", exc)
        return NO_SIGNER
    if isinstance(exc, ServiceOutage):
        log.warning("service outage: %s", exc.message)
        return f"{exc.message} Vui lòng thử lại sau ít phút hoặc báo quản trị hệ thống."
    if _disk_full(exc):
        log.error("disk full", exc_info=exc)
        return DISK_FULL
    request_id = new_request_id()
    if _database_busy(exc):  # waited the busy timeout (DB_BUSY_TIMEOUT) for another writer: not a fault
        log.warning("database busy [request %s]: %s", request_id, exc)
        return (f"Hệ thống đang bận ghi dữ liệu khác nên chưa thực hiện được (mã {request_id}); "
                "vui lòng thử lại.")
    log.error("action failed [request %s]", request_id, exc_info=exc)
    return (f"Không thực hiện được do lỗi hệ thống ({type(exc).__name__}, mã {request_id}). "
            "Vui lòng thử lại hoặc báo quản trị.")


def _disk_full(exc: BaseException) -> bool:
    """ENOSPC from a file write, or SQLite's "database or disk is full" (also wrapped by SQLAlchemy)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if "database or disk is full" in str(exc):
            return True
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
    return False


def _database_busy(exc: Exception) -> bool:
    text = str(exc).lower()
    return isinstance(exc, OperationalError) and any(
        word in text for word in ("database is locked", "database is busy", "lock timeout", "deadlock"))


def show_error(message: ui.label | None, text: str) -> None:
    """In the page's message label when there is one (it stays until the next try), else as a notification."""
    if message is not None:
        message.text = text
    else:
        ui.notify(text, type="negative", multi_line=True, close_button="Đóng", timeout=8000)


def _send_away(text: str, target: str, token: str | None) -> Outcome:
    if token is not None:
        forget(token)
        with contextlib.suppress(RuntimeError, AssertionError):
            browser_storage().pop("token", None)
    ui.notify(text, type="negative", multi_line=True, close_button="Đóng", timeout=8000)
    ui.navigate.to(target)
    return Outcome(False, error=text, halted=True)


def _login_target(state: str) -> str:
    try:
        url = ui.context.client.request.url
        here = url.path + (f"?{url.query}" if url.query else "")
    except (RuntimeError, AttributeError):
        here = "/"
    return f"/login?redirect_to={quote(here, safe='')}" + ("&expired=1" if state == "expired" else "")
