"""A scan upload — an endpoint that writes to the file store — cut by a SIGKILL of the real server, first
while the body streams in, then inside the store's write of the whole upload (tests/support/kill_on_store):
after each restart the store holds no half-written file and no scan page points anywhere, and the same upload
sent whole afterwards is stored (so the checks above are not vacuous)."""
from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
from sqlmodel import select

from app.db import dispose_engine, session_scope, write_scope
from domain import dossiers
from domain.models import ScanPage
from tests.e2e.conftest import login, start_server
from tests.integration.test_crash_upload_outbox import check_store, serves, stop
from tests.support.workflow import scan_page_jpeg, user_named

KILL_ON_STORE = Path(__file__).resolve().parents[1] / "support" / "kill_on_store"
UPLOAD = re.compile(r"/_nicegui/client/[0-9a-f-]+/upload/\d+")


def _draft_with_original() -> int:
    clerk = user_named("chungthuc")
    with write_scope() as session:
        dossier = dossiers.open_dossier(session, clerk, dossiers.RequesterData(name="Nguyễn Văn An"))
    with write_scope() as session:
        dossiers.save_original(session, clerk, dossier.id, dossiers.OriginalData(
            title="Giấy khai sinh", issuer="UBND phường Hoàn Kiếm", pages=1,
            checks=["not_altered", "legible", "not_secret", "lawful_content"]))
    dispose_engine()
    return dossier.id


def _scan_upload_url(server, cookies: dict, dossier_id: int) -> str:
    page = httpx.get(f"{server.url}/dossier/{dossier_id}", cookies=cookies, timeout=30).text
    match = UPLOAD.search(page)
    assert match, "no upload endpoint on the dossier page (not signed in?)"
    return match.group(0)


def _scan_pages() -> int:
    with session_scope() as session:
        count = len(session.exec(select(ScanPage)).all())
    dispose_engine()
    return count


def _cut_inside_the_store_write(server, cookies: dict, dossier_id: int, scan: bytes) -> None:
    """Post a whole scan to a server that dies (SIGKILL) as the store opens its file for writing."""
    url = server.url + _scan_upload_url(server, cookies, dossier_id)
    (server.data_dir / "kill-on-store").touch()
    with contextlib.suppress(httpx.HTTPError):  # the connection dies with the server
        httpx.post(url, cookies=cookies, files=[("file", ("trang-1.jpg", scan, "image/jpeg"))], timeout=120)
    try:
        server.process.wait(timeout=60)  # the handler runs after the answer: the server dies a moment later
    except subprocess.TimeoutExpired:
        raise AssertionError("the server never opened a file of the store for writing") from None
    finally:
        (server.data_dir / "kill-on-store").unlink()
    assert server.process.returncode == -signal.SIGKILL, server.process.returncode


def test_server_killed_during_a_scan_upload_keeps_the_store_whole(app_env, browser):
    data_dir = app_env  # the server and this test share DATA_DIR and the SQLite database
    server = start_server(data_dir)
    try:
        dossier_id = _draft_with_original()
        login(browser, server.url, "chungthuc")
        cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
        url = _scan_upload_url(server, cookies, dossier_id)
        files_before = check_store(data_dir)
        boundary = "----kill-test-boundary"
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"trang-1.jpg\"\r\n"
                "Content-Type: image/jpeg\r\n\r\n").encode()
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        with socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1])), timeout=30) as sock:
            sock.sendall((f"POST {url} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n"
                          f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                          f"Content-Length: {15 * 1024 * 1024}\r\n\r\n").encode() + head)
            partial = scan_page_jpeg("GIẤY KHAI SINH", dpi=150)
            sent = 0
            while sent < 6 * 1024 * 1024:  # 6 MB of 15, then the power goes
                sock.sendall(partial)
                sent += len(partial)
            time.sleep(0.5)
            os.kill(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=30)
        assert server.process.returncode == -signal.SIGKILL
        assert check_store(data_dir) == files_before and _scan_pages() == 0

        server = start_server(data_dir, {"PYTHONPATH": str(KILL_ON_STORE)})
        serves(server)
        assert check_store(data_dir) == files_before and _scan_pages() == 0
        whole = scan_page_jpeg("GIẤY KHAI SINH — trang 1", dpi=100)
        _cut_inside_the_store_write(server, cookies, dossier_id, whole)
        assert check_store(data_dir) == files_before and _scan_pages() == 0

        server = start_server(data_dir)
        serves(server)
        response = httpx.post(server.url + _scan_upload_url(server, cookies, dossier_id), cookies=cookies,
                              files=[("file", ("trang-1.jpg", whole, "image/jpeg"))], timeout=120)
        assert response.status_code == 200
        deadline = time.time() + 60
        while time.time() < deadline and _scan_pages() == 0:
            time.sleep(0.3)
        assert _scan_pages() == 1 and check_store(data_dir) == files_before + 1
    finally:
        stop(server)
