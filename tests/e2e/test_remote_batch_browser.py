"""The leader signs a batch remotely from a tablet (Chromium, 768×1024): one PIN for five dossiers, a
progress bar, all five signed; then the provider stops in the middle of a batch, the finished ones stay
signed, the others stay waiting with a clear message, and a rerun completes them."""
from __future__ import annotations

import os
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from tests.e2e.conftest import (
    click,
    field,
    login,
    screenshot,
    set_viewport,
    start_server,
    wait_for,
    wait_for_text,
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def remote_server(tmp_path_factory, pki_services):
    csc_port = _free_port()
    data_dir = tmp_path_factory.mktemp("remote") / "data"
    # the server's demo PKI: the session's (PKI_DIR) when the test session shares one, else its own
    pki_dir = Path(os.environ.get("PKI_DIR") or data_dir / "pki")
    server = start_server(
        data_dir,
        {
            "DEMO_CSC": "1",
            "DEMO_CSC_SERVE": "0",
            "CSC_DEMO_URL": f"http://127.0.0.1:{csc_port}",
            "PKI_PORT": str(_free_port()),
        },
    )
    server.pki_dir = pki_dir
    yield server, csc_port
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture
def on_remote_db(remote_server, monkeypatch):
    from app.db import dispose_engine
    from app.settings import reload_settings

    server, _ = remote_server
    monkeypatch.setenv("DATA_DIR", str(server.data_dir))
    monkeypatch.setenv("BASE_URL", server.url)
    dispose_engine()
    reload_settings()
    yield remote_server
    dispose_engine()


def start_csc(server, port: int):
    """The provider, in this process, over the live server's demo PKI."""
    from app.pki.csc_server import CscPolicy, start_csc_service
    from app.pki.demo_csc import demo_client_secret_file
    from app.pki.demo_pki import DemoPki

    pki = DemoPki(server.pki_dir)
    secret = demo_client_secret_file(pki).read_text().strip()
    return start_csc_service(pki, port=port, policy=CscPolicy(client_secret=secret))


def states(server, ids: list[int]) -> list[str]:
    from domain.models import Dossier

    with server.db() as session:
        return [session.get(Dossier, i).state for i in ids]


def sign_batch(browser, server, ids: list[int], shot: str, done_text: str) -> None:
    browser.get(server.url + "/queue/sign")
    for dossier_id in ids:
        click(browser, f"select-{dossier_id}")
    click(browser, "batch-action")
    wait_for(browser, '[data-testid="remote-dialog"]')
    field(browser, "remote-pin").send_keys("123456")
    screenshot(browser, f"{shot}-pin")
    click(browser, "remote-confirm")
    wait_for_text(browser, done_text, timeout=180)
    screenshot(browser, f"{shot}-done")


def test_leader_signs_five_with_one_pin_and_a_stopped_provider_loses_nothing(on_remote_db, browser):
    from tests.support.workflow import signed_dossier_ready

    server, csc_port = on_remote_db
    csc = start_csc(server, csc_port)
    try:
        set_viewport(browser, 768, 1024)
        login(browser, server.url, "lanhdao")
        first = [signed_dossier_ready(pages=1, title=f"Giấy khai sinh {i}") for i in range(5)]
        sign_batch(browser, server, first, "remote-batch-5", "Đã xử lý 5/5 hồ sơ")
        assert len(browser.find_elements("css selector", ".text-positive")) >= 5
        assert states(server, first) == ["signed"] * 5
        assert csc.policy.signed == 5

        # the provider stops after the first signature of the next batch
        second = [signed_dossier_ready(pages=1, title=f"Bằng tốt nghiệp {i}") for i in range(3)]
        csc.policy.after_sign = lambda n: n == 6 and threading.Thread(target=csc.stop, daemon=True).start()
        sign_batch(browser, server, second, "remote-batch-provider-down", "Đã xử lý 3/3 hồ sơ")
        body = browser.find_element("tag name", "body").text
        assert body.count("Không kết nối được dịch vụ ký số từ xa") == 2
        assert states(server, second) == ["signed", "submitted", "submitted"]

        csc = start_csc(server, csc_port)  # the provider is back: a rerun completes the batch
        sign_batch(browser, server, second[1:], "remote-batch-rerun", "Đã xử lý 2/2 hồ sơ")
        assert states(server, second) == ["signed"] * 3
    finally:
        if csc._loop.is_running():  # not already stopped by the test
            csc.stop()
