"""One aiohttp session for the network fetches of a signature (TSA, OCSP, CRL, caIssuers).

Left to themselves, pyHanko's clients open a session per request, each loading the certifi CA
bundle into a new SSL context (three per signature, tens of ms each). Both ``HTTPTimeStamper`` and
``AIOHttpFetcherBackend`` take a caller's session: this one shares a single SSL context made once
per process, and the caller closes it (a session is bound to the event loop that opened it).

The session also notes the requests that did not finish, so that a service that does not answer is
named to the user (`outage_from`) instead of a bare «TimeoutError»; every request is bounded by
SIGNING_SERVICE_TIMEOUT seconds (10 by default).
"""
from __future__ import annotations

import os
import ssl
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from functools import lru_cache
from urllib.parse import urlsplit

import aiohttp
import certifi
from pyhanko.sign.general import SigningError

TSA_DOWN = "Dịch vụ cấp dấu thời gian (TSA) tại {where} không phản hồi"
REVOCATION_DOWN = "Dịch vụ kiểm tra trạng thái chứng thư số (OCSP/CRL) tại {where} không phản hồi"
CERTS_DOWN = "Dịch vụ cung cấp chứng thư số của tổ chức cấp tại {where} không phản hồi"
WITHIN = " (đã chờ {seconds:g} giây)."


class ServiceOutage(SigningError):
    """A network service a signature needs did not answer; `message` names it in Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def service_timeout() -> float:
    try:
        return max(0.5, float(os.environ.get("SIGNING_SERVICE_TIMEOUT", "10")))
    except ValueError:
        return 10.0


@lru_cache(maxsize=1)
def ssl_context() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=certifi.where())


class _Unanswered:
    """URLs of the requests started and not answered (failed or still waiting), in order."""

    def __init__(self):
        self.urls: list[str] = []

    def config(self) -> aiohttp.TraceConfig:
        trace = aiohttp.TraceConfig()
        trace.on_request_start.append(self._start)
        trace.on_request_end.append(self._end)
        return trace

    async def _start(self, session, context, params) -> None:
        self.urls.append(str(params.url))

    async def _end(self, session, context, params) -> None:
        if str(params.url) in self.urls:
            self.urls.remove(str(params.url))


_watching: ContextVar[_Unanswered | None] = ContextVar("unanswered_requests", default=None)


@asynccontextmanager
async def http_session() -> AsyncIterator[aiohttp.ClientSession]:
    unanswered = _watching.get()
    traces = [unanswered.config()] if unanswered is not None else []
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=ssl_context()),
                                     trace_configs=traces) as session:
        yield session


@contextmanager
def naming_outages(tsa_url: str | None) -> Iterator[None]:
    """Any failure inside, while a request of an http_session went unanswered (timed out, refused, or
    still waiting when the signature gave up), becomes a ServiceOutage naming that service. pyHanko wraps
    some of these failures and lets others through bare, so the request, not the exception, tells."""
    unanswered = _Unanswered()
    token = _watching.set(unanswered)
    try:
        yield
    except ServiceOutage:
        raise
    except Exception as exc:
        outage = _outage(unanswered.urls, tsa_url)
        if outage is None:
            raise
        raise outage from exc
    finally:
        _watching.reset(token)


def _outage(urls: list[str], tsa_url: str | None) -> ServiceOutage | None:
    if not urls:
        return None
    url = urls[-1]
    where = urlsplit(url).netloc or url
    if tsa_url and _same_service(url, tsa_url):
        text = TSA_DOWN
    elif url.lower().endswith((".crt", ".cer", ".p7c")):
        text = CERTS_DOWN
    else:
        text = REVOCATION_DOWN
    return ServiceOutage(text.format(where=where) + WITHIN.format(seconds=service_timeout()))


def _same_service(url: str, other: str) -> bool:
    return urlsplit(url).netloc == urlsplit(other).netloc and urlsplit(url).path == urlsplit(other).path
