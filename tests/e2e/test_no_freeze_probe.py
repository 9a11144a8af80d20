"""No freezes for everyone: while one person signs in, changes a password, signs or seals, another client's
round trips to the server stay flat. A probe asks /healthz every 50 ms; each action's p99 must stay within
2× the idle p99 measured in the same run (a ratio, no absolute time budget).

The cases that still run their work on the event loop are xfail until the action runner (branch trusta)
moves them off it; they turn to XPASS by themselves then."""
from __future__ import annotations

import statistics
import threading
import time

import httpx
import pytest

from tests.e2e.conftest import click, field, login, set_viewport, wait_for, wait_for_text
from tests.e2e.test_sign_seal_browser import on_live_db  # noqa: F401  (fixture)

PERIOD = 0.05
RATIO = 2.0


class Probe:
    """Pings the server every 50 ms from a thread; samples are labelled with the running phase."""

    def __init__(self, url: str):
        self.url, self.phase, self.samples = url + "/healthz", "warm-up", []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(timeout=30) as client:
            while not self._stop.is_set():
                start = time.perf_counter()
                client.get(self.url)
                elapsed = time.perf_counter() - start
                self.samples.append((self.phase, elapsed))
                time.sleep(max(0.0, PERIOD - elapsed))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def during(self, phase: str, action) -> None:
        self.phase = phase
        action()
        self.phase = "between"
        time.sleep(0.3)

    def p99(self, phase: str) -> float:
        values = sorted(v for p, v in self.samples if p == phase)
        assert len(values) >= 5, f"too few probe samples during {phase}"
        return statistics.quantiles(values, n=100)[98] if len(values) >= 20 else values[-1]


def idle(seconds: float):
    return lambda: time.sleep(seconds)


@pytest.fixture
def probed(on_live_db, browser):  # noqa: F811
    server = on_live_db
    set_viewport(browser, 1024, 768)
    login(browser, server.url, "chungthuc")  # warm the pages once
    with Probe(server.url) as probe:
        time.sleep(1)
        probe.during("idle", idle(4))
        yield server, browser, probe


def ratio(probe: Probe, phase: str) -> float:
    base = probe.p99("idle")
    value = probe.p99(phase)
    print(f"probe p99 idle {base * 1000:.1f} ms, {phase} {value * 1000:.1f} ms ({value / base:.1f}×)")
    return value / base


@pytest.mark.xfail(strict=False, reason="measured 2.0–5.8× on the shared 2-core machine: the argon2 check runs in a "
                                        "worker thread, but with p=4 lanes it takes both cores from the event loop")
def test_sign_ins_do_not_freeze_other_clients(probed):
    server, browser, probe = probed

    for username in ("chungthuc", "lanhdao", "vanthu", "motcua"):
        # the form is filled outside the phase and the sign-in lands on /healthz: the phase holds the
        # password check, not the page builds every navigation costs anyway
        browser.delete_all_cookies()
        browser.get(server.url + "/login?redirect_to=/healthz")
        field(browser, "login").send_keys(username)
        field(browser, "password").send_keys("demo1234")
        probe.during("sign-in", lambda: (click(browser, "submit"), wait_for_text(browser, '"status"')))
    assert ratio(probe, "sign-in") <= RATIO


@pytest.mark.xfail(strict=False, reason="password change hashes on the event loop until trusta's action runner")
def test_password_changes_do_not_freeze_other_clients(probed):
    server, browser, probe = probed

    def change(old: str, new: str):
        browser.get(server.url + "/account/password")
        field(browser, "old").send_keys(old)
        field(browser, "new").send_keys(new)
        field(browser, "again").send_keys(new)
        click(browser, "save-password")
        wait_for(browser, '[data-testid="user-name"]')
        wait_for_text(browser, "Trang chủ")

    login(browser, server.url, "chungthuc")
    probe.during("password", lambda: (change("demo1234", "Mat-khau-moi-9"), change("Mat-khau-moi-9", "demo1234")))
    assert ratio(probe, "password") <= RATIO


@pytest.mark.xfail(strict=False, reason="signing and sealing pages write on the event loop until trusta's runner")
def test_signing_and_sealing_do_not_freeze_other_clients(probed):
    from tests.support.workflow import signed_dossier_ready

    server, browser, probe = probed
    dossier = signed_dossier_ready(pages=2, title="Giấy khai sinh")

    def sign():
        login(browser, server.url, "lanhdao")
        browser.get(f"{server.url}/queue/sign/{dossier}")
        click(browser, "do-action")
        wait_for_text(browser, "Đã ký số hồ sơ", timeout=60)

    def seal():
        login(browser, server.url, "vanthu")
        browser.get(server.url + "/queue/seal")
        click(browser, f"select-{dossier}")
        click(browser, "batch-action")
        wait_for_text(browser, "Đã đóng dấu, cấp số", timeout=60)

    probe.during("sign", sign)
    probe.during("seal", seal)
    assert max(ratio(probe, "sign"), ratio(probe, "seal")) <= RATIO
