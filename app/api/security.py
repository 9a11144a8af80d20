"""Who calls the API: the client's key (`Authorization: Bearer <key>` or `X-API-Key`), its scopes, its rate
limit (429 with Retry-After), and one audit line per call (app.api.calls)."""
from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from app.api.problems import ApiProblem
from app.db import session_scope
from domain import api_clients, api_scopes

bearer = HTTPBearer(auto_error=False, description="Khóa API: `Authorization: Bearer ct_…`")
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="Khóa API (cách thay thế)")

WHY = {
    "missing": "Thiếu khóa API: gửi tiêu đề `Authorization: Bearer <khóa>`.",
    "invalid": "Khóa API không đúng.",
    "revoked": "Khóa API đã bị thu hồi.",
}
AUTH_HEADERS = {"WWW-Authenticate": 'Bearer realm="api"'}


@dataclass(frozen=True)
class ApiCaller:
    client_id: int
    name: str
    office_id: int | None
    scopes: tuple[str, ...]
    rate_per_minute: int


class ClientRateLimiter:
    """At most `limit` calls per 60 s per client (sliding window, this process); says how long to wait."""

    def __init__(self, window: float = 60.0, max_keys: int = 10000):
        self.window, self.max_keys = window, max_keys
        self._hits: OrderedDict[int, deque] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, key: int, limit: int) -> int:
        """0 when the call may go ahead (and it is counted), else whole seconds until it may."""
        now = time.monotonic()
        with self._lock:
            hits = self._hits.pop(key, None) or deque()
            while hits and now - hits[0] >= self.window:
                hits.popleft()
            self._hits[key] = hits
            while len(self._hits) > self.max_keys:
                self._hits.popitem(last=False)
            if len(hits) >= limit:
                return max(1, math.ceil(self.window - (now - hits[0])))
            hits.append(now)
            return 0

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


LIMITER = ClientRateLimiter()


def _caller_from_key(key: str | None) -> tuple[ApiCaller | None, str]:
    with session_scope() as session:
        client, why = api_clients.authenticate(session, key)
        if client is None:
            return None, why
        return ApiCaller(client.id, client.name, client.office_id, tuple(client.scopes or ()),
                         client.rate_per_minute), ""


def authenticated(request: Request,
                  credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
                  x_api_key: Annotated[str | None, Depends(api_key_header)]) -> ApiCaller:
    """A sync dependency: FastAPI runs it in a worker thread, so the key lookup never blocks the loop."""
    key = credentials.credentials if credentials is not None else x_api_key
    caller, why = _caller_from_key(key)
    if caller is None:
        raise ApiProblem(401, WHY[why], AUTH_HEADERS)
    request.state.api_client_id = caller.client_id  # for the call's audit line
    wait = LIMITER.retry_after(caller.client_id, caller.rate_per_minute)
    if wait:
        raise ApiProblem(429, f"Ứng dụng «{caller.name}» được gọi tối đa {caller.rate_per_minute} lần mỗi "
                              f"phút. Vui lòng thử lại sau {wait} giây.", {"Retry-After": str(wait)})
    return caller


def scoped(scope: str):
    """A dependency: the caller, who must hold `scope`."""
    def check(caller: Annotated[ApiCaller, Depends(authenticated)]) -> ApiCaller:
        if not api_scopes.allows(list(caller.scopes), scope):
            raise ApiProblem(403, f"Khóa API không có phạm vi «{api_scopes.SCOPE_LABELS[scope]}».")
        return caller
    return check


VerifyCaller = Annotated[ApiCaller, Depends(scoped(api_scopes.VERIFY))]
DossierReader = Annotated[ApiCaller, Depends(scoped(api_scopes.READ_DOSSIERS))]
