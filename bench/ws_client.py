"""A NiceGUI client without a browser: fetch a page over HTTP, connect its socket.io websocket as the
browser's nicegui.js does (implicit handshake), click elements by data-testid, and time click → first update
message.

    page = await NiceGuiPage.open(base_url, "/queue/sign", cookie)   # headers={...}: sent with both
    seconds = await page.click("open-12")      # None when no update came within the timeout
    seconds, found = await page.shown("check_circle", "'error'")  # click → first update with one of these
    await page.close()
"""
from __future__ import annotations

import ast
import asyncio
import json
import re
import time
import uuid

import httpx
import socketio

ELEMENTS = re.compile(r"parseElements\(String\.raw`(.*?)`\)", re.DOTALL)
QUERY = re.compile(r"query: (\{.*?\}),\n")


class NiceGuiPage:
    def __init__(self, base: str, headers: dict, client_id: str, query: dict, elements: dict):
        self.base, self.headers, self.client_id, self.query, self.elements = (
            base,
            headers,
            client_id,
            query,
            elements,
        )
        self.sio = socketio.AsyncClient(reconnection=False)
        self.updates = asyncio.Queue()
        self.clicked_at, self.first = 0.0, (0.0, "")
        self.sio.on("*", self._on_message)

    async def _on_message(self, event, *args) -> None:
        self.updates.put_nowait((event, time.perf_counter(), args))

    @classmethod
    async def open(
        cls, base: str, path: str, cookie: str = "", http: httpx.AsyncClient | None = None,
        headers: dict | None = None,
    ) -> NiceGuiPage:
        """``headers``: sent with the page's GET and its websocket (e.g. a sticky proxy's key)."""
        headers = {**(headers or {}), **({"Cookie": cookie} if cookie else {})}
        own = http is None
        http = http or httpx.AsyncClient(timeout=60)
        try:
            response = await http.get(base + path, headers=headers)
        finally:
            if own:
                await http.aclose()
        response.raise_for_status()
        text = response.text
        raw = ELEMENTS.search(text).group(1)
        for a, b in (("&#36;", "$"), ("&#96;", "`"), ("&gt;", ">"), ("&lt;", "<"), ("&amp;", "&")):
            raw = raw.replace(a, b)
        elements = json.loads(raw)
        query = ast.literal_eval(QUERY.search(text).group(1))  # a Python dict in the page
        page = cls(base, headers, query["client_id"], query, elements)
        await page._connect()
        return page

    async def _connect(self) -> None:
        query = {
            **self.query,
            "document_id": str(uuid.uuid4()),
            "tab_id": str(uuid.uuid4()),
            "old_tab_id": "",
        }
        qs = "&".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in query.items())
        await self.sio.connect(
            f"{self.base}?{qs}",
            socketio_path="/_nicegui_ws/socket.io",
            transports=["websocket"],
            headers=self.headers,
            wait_timeout=30,
        )

    def find(self, testid: str) -> tuple[str, str]:
        """(element id, click listener id) of the element with this data-testid (or an ancestor's
        listener)."""
        for element_id, element in self.elements.items():
            if (element.get("props") or {}).get("data-testid") == testid:
                events = element.get("events", [])
                for kind in ("click", "update:modelValue"):  # a button, or a checkbox ticked
                    for event in events:
                        if event["type"] == kind:
                            return element_id, event["listener_id"]
        raise LookupError(f"no clickable element {testid!r} on the page")

    def testids(self, prefix: str = "") -> list[str]:
        ids = [str((e.get("props") or {}).get("data-testid", "")) for e in self.elements.values()]
        return [i for i in ids if i and i.startswith(prefix)]

    async def click(self, testid: str, timeout: float = 30.0) -> float | None:
        """Seconds from the click to the first message the server sends back (the visible update)."""
        element_id, listener_id = self.find(testid)
        events = self.elements[element_id].get("events", [])
        # A checkbox's value, JSON-encoded as nicegui.js sends every argument (a bare True made the server's
        # json.loads fail: the tick never arrived and the seal keeper's batch button stayed disabled).
        args = ["true"] if not any(e["type"] == "click" for e in events) else []
        while not self.updates.empty():
            self.updates.get_nowait()
        start = self.clicked_at = time.perf_counter()
        await self.sio.emit(
            "event",
            {"id": int(element_id), "client_id": self.client_id, "listener_id": listener_id, "args": args},
        )
        try:
            _, at, args = await asyncio.wait_for(self.updates.get(), timeout)
        except TimeoutError:
            return None
        self.first = (at, str(args))
        return at - start

    async def shown(self, *texts: str, timeout: float = 30.0) -> tuple[float | None, str]:
        """(seconds from the last click to the first update whose content has one of `texts`, that text), e.g.
        an action's result; (None, "") when none came within the timeout."""
        at, content = self.first
        deadline = time.perf_counter() + timeout
        while True:
            found = next((t for t in texts if t in content), "")
            if found:
                return at - self.clicked_at, found
            left = deadline - time.perf_counter()
            if left <= 0:
                return None, ""
            try:
                _, at, args = await asyncio.wait_for(self.updates.get(), left)
            except TimeoutError:
                return None, ""
            content = str(args)

    async def close(self) -> None:
        await self.sio.disconnect()
