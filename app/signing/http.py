"""One aiohttp session for the network fetches of a signature (TSA, OCSP, CRL, caIssuers).

Left to themselves, pyHanko's clients open a session per request, each loading the certifi CA
bundle into a new SSL context (three per signature, tens of ms each). Both ``HTTPTimeStamper`` and
``AIOHttpFetcherBackend`` take a caller's session: this one shares a single SSL context made once
per process, and the caller closes it (a session is bound to the event loop that opened it).
"""
from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache

import aiohttp
import certifi


@lru_cache(maxsize=1)
def ssl_context() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=certifi.where())


@asynccontextmanager
async def http_session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=ssl_context())) as session:
        yield session
