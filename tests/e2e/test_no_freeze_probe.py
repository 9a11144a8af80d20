"""No freezes for everyone: while one person signs in, changes a password, has an ID card read, signs or
seals, another client's round trips to the server stay flat. A probe asks /healthz every 50 ms; each action's
p99 must stay within 2× the idle p99 measured in the same run (a ratio, no absolute time budget).

A phase holds the action only — from the click to its effect — not the page loads around it: every navigation
builds a page on the event loop whatever the action (the clicking bench, bench/bench_clicks.py, measures
those). Each case first walks its pages once outside the probe, so first-use imports do not land in a
phase, and passes when one of up to three rounds holds the ratio (a shared machine's bursts hit one round, a
freeze hits all). The browser runs at a lower priority: a tablet has a processor of its own, while here
Chromium would compete with the server for the machine's two cores and its work would count as a freeze.

The work itself (tesseract, the signing process, Chromium drawing the result, the demo PKI answering) keeps
the machine's two cores, caches and memory busy, which slows every process's round trips, not only ours: a
second probe asks a reference server — an event loop in a process of its own with nothing to do — in the same
windows, and a ratio is divided by the reference's ratio when that passes 1. Measured 2026-12-06: the
reference server's p99 rose 1.5-3.4× during signing, sealing and ID reading; our server's rose as much and no
more (0.8-1.2 after the division). A freeze of our loop shows in ours only: signing in the server's thread
(SIGNING_WORKERS=0) fails at 2.6-4.8, an ID card read on the loop at 66. A sign-in's control window also
hashes passwords in another process: an argon2 check fills 46 MiB (a check on the loop would be ~150 ms)."""
from __future__ import annotations

import contextlib
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.conftest import click, field, login, new_browser, set_viewport, wait_for, wait_for_text
from tests.e2e.test_sign_seal_browser import on_live_db  # noqa: F401  (fixture)

pytestmark = pytest.mark.serial  # timings compared: alone, after the parallel part

ROOT = Path(__file__).resolve().parents[2]
PERIOD = 0.05
RATIO = 2.0


_PROBE = """
import sys, time, httpx
url, period = sys.argv[1], float(sys.argv[2])
with httpx.Client(timeout=30) as client:
    while True:
        start = time.monotonic()
        client.get(url)
        end = time.monotonic()
        print(f"{end:.6f} {end - start:.6f}", flush=True)
        time.sleep(max(0.0, period - (end - start)))
"""


class Probe:
    """Another client: a process of its own asks /healthz every 50 ms and reports when each answer came and
    how long it took. A process, not a thread of the test: the test process also runs the demo PKI's
    OCSP and time-stamp services and the WebDriver client, whose Python work would delay a thread's
    requests (the GIL) and count as the server's freeze. Samples are labelled by the phase window in
    which their answer came (the monotonic clock is the system's, shared by both processes)."""

    def __init__(self, url: str, windows: list | None = None):
        self.url, self.samples = url, []
        self.windows = [] if windows is None else windows
        self._process: subprocess.Popen | None = None
        self._reader = threading.Thread(target=self._read, daemon=True)

    def _read(self) -> None:
        for line in self._process.stdout:
            end, elapsed = map(float, line.split())
            self.samples.append((end, elapsed))

    def __enter__(self):
        self._process = subprocess.Popen([sys.executable, "-c", _PROBE, self.url, str(PERIOD)], cwd=ROOT,
                                         stdout=subprocess.PIPE, text=True)
        self._reader.start()
        time.sleep(0.5)  # the probe process's imports and first request
        return self

    def __exit__(self, *exc):
        self._process.kill()
        self._process.wait(timeout=10)
        self._reader.join(timeout=10)

    def during(self, phase: str, action) -> None:
        start = time.monotonic()
        action()
        self.windows.append((phase, start, time.monotonic()))
        time.sleep(0.3)

    def p99(self, phase: str) -> float:
        spans = [(a, b) for p, a, b in self.windows if p == phase]
        values = sorted(v for end, v in self.samples if any(a <= end <= b for a, b in spans))
        assert len(values) >= 5, f"too few probe samples during {phase}"
        # inclusive: with fewer than 100 samples the exclusive method extrapolates past the slowest one
        if len(values) < 20:
            return values[-1]
        return statistics.quantiles(values, n=100, method="inclusive")[98]


_REFERENCE = """
import asyncio

async def answer(reader, writer):
    try:
        while True:
            await reader.readuntil(b"\\r\\n\\r\\n")  # a GET: its request line and headers
            writer.write(b"HTTP/1.1 200 OK\\r\\nContent-Length: 16\\r\\n\\r\\n" b'{"status": "ok"}')
            await writer.drain()
    except asyncio.IncompleteReadError:  # the probe closed the connection
        writer.close()

async def main():
    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def reference_url():
    """A server with nothing to do but answer, in a process of its own on the same machine: whatever
    slows its round trips during an action (the cores, caches and memory busy with the signing process,
    tesseract or Chromium) is the machine's load, not a freeze of our server's event loop."""
    process = subprocess.Popen([sys.executable, "-c", _REFERENCE], stdout=subprocess.PIPE, text=True)
    try:
        yield f"http://127.0.0.1:{process.stdout.readline().strip()}/"
    finally:
        process.kill()
        process.wait(timeout=10)


class Probes:
    """Two probes, one window list: one asks our server's /healthz, the other the reference server."""

    def __init__(self, server_url: str, reference_url: str):
        self.server = Probe(server_url + "/healthz")
        self.reference = Probe(reference_url, self.server.windows)

    def __enter__(self):
        self.server.__enter__()
        self.reference.__enter__()
        return self

    def __exit__(self, *exc):
        self.reference.__exit__(*exc)
        self.server.__exit__(*exc)

    def during(self, phase: str, action) -> None:
        self.server.during(phase, action)


@pytest.fixture(scope="module")
def browser():
    driver = new_browser(nice=10)
    yield driver
    driver.quit()


def idle(seconds: float):
    return lambda: time.sleep(seconds)


@pytest.fixture
def probed(on_live_db, browser, reference_url):  # noqa: F811
    server = on_live_db
    set_viewport(browser, 1024, 768)
    login(browser, server.url, "chungthuc")  # warm the pages once
    yield server, browser, lambda: Probes(server.url, reference_url)


def measure_idle(probe: Probes, seconds: float = 2.5) -> None:
    """An idle window before each action: the machine's other load is then shared alike by both."""
    time.sleep(0.3)
    probe.during("idle", idle(seconds))


_HASHING = """
import os, sys
os.nice(10)  # as the server's worker threads (app/web/priority.py)
from domain.security import Argon2Hasher
hasher = Argon2Hasher()
hashed = hasher.hash("demo1234")
sys.stdout.write("ready\\n"); sys.stdout.flush()
while True:
    hasher.verify("demo1234", hashed)
"""


@contextlib.contextmanager
def hashing_elsewhere():
    """The machine checks passwords in another process meanwhile: the server's loop is untouched, but the
    cores, caches and memory bandwidth are as busy as during a sign-in (argon2 fills 46 MiB per check)."""
    process = subprocess.Popen([sys.executable, "-c", _HASHING], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        ready = threading.Timer(30, process.kill)
        ready.start()
        assert process.stdout.readline().strip() == "ready", "the hashing process did not start"
        ready.cancel()
        yield
    finally:
        process.kill()
        process.wait(timeout=10)


def ratio(probes: Probes, phase: str) -> float:
    """Our server's p99 during the phase over its idle p99, divided by the same ratio of the reference
    server when the machine's load slowed that too (never multiplied: a reference ratio below 1 counts
    as 1). A freeze of the loop shows in our server only; the machine's load in both."""
    idle, during = probes.server.p99("idle"), probes.server.p99(phase)
    ours, reference = during / idle, probes.reference.p99(phase) / probes.reference.p99("idle")
    result = ours / max(1.0, reference)
    print(f"p99 idle {idle * 1000:.1f} ms, {phase} {during * 1000:.1f} ms: {ours:.1f}× "
          f"(reference server {reference:.1f}×) → {result:.1f}")
    return result


def best_of(rounds: int, one_round) -> float:
    """The lowest ratio of up to `rounds` rounds, each with a probe of its own: on a shared machine another
    process's burst falls on one round, while a freeze caused by the action shows in every round."""
    ratios = []
    for k in range(rounds):
        ratios.append(one_round(k))
        if ratios[-1] <= RATIO:
            break
    return min(ratios)


def _fill_login(browser, url: str, username: str, password: str = "demo1234") -> None:
    browser.delete_all_cookies()
    browser.get(url + "/login?redirect_to=/healthz")
    field(browser, "login").send_keys(username)
    field(browser, "password").send_keys(password)


def test_sign_ins_do_not_freeze_other_clients(probed):
    server, browser, new_probe = probed
    users = ("chungthuc", "lanhdao", "vanthu", "motcua")
    for username in users:  # warm-up: the same path once, outside the probe
        _fill_login(browser, server.url, username)
        click(browser, "submit")
        wait_for_text(browser, '"status"')
    def one_round(_: int) -> float:
        with new_probe() as probe:
            for username in users:
                # the sign-in lands on /healthz: the phase holds the password check, not a page build
                _fill_login(browser, server.url, username)
                with hashing_elsewhere():  # the control window: the same hashing, outside the server
                    measure_idle(probe, 1.5)
                probe.during("sign-in", lambda: (click(browser, "submit"),
                                                 wait_for_text(browser, '"status"')))
        return ratio(probe, "sign-in")

    assert best_of(3, one_round) <= RATIO


def _password_hash(server, username: str) -> str:
    from sqlmodel import select

    from domain.models import Account

    with server.db() as session:
        return session.exec(select(Account.password_hash).where(Account.username == username)).one()


def test_password_changes_do_not_freeze_other_clients(probed):
    server, browser, new_probe = probed

    def fill(old: str, new: str):
        browser.get(server.url + "/account/password")
        field(browser, "old").send_keys(old)
        field(browser, "new").send_keys(new)
        field(browser, "again").send_keys(new)

    def change():
        # the phase ends when the new password is stored (the home page the tab then opens is a page build)
        before = _password_hash(server, "chungthuc")
        click(browser, "save-password")
        WebDriverWait(browser, 60, poll_frequency=0.05).until(
            lambda _: _password_hash(server, "chungthuc") != before
        )

    login(browser, server.url, "chungthuc")
    fill("demo1234", "Mat-khau-moi-8")  # warm-up, outside the probe
    change()
    wait_for_text(browser, "Trang chủ")
    def one_round(k: int) -> float:
        # every round ends on demo1234, the password the other tests sign in with
        start = "Mat-khau-moi-8" if k == 0 else "demo1234"
        with new_probe() as probe:
            for old, new in ((start, "Mat-khau-moi-9"), ("Mat-khau-moi-9", "demo1234")):
                fill(old, new)
                measure_idle(probe)
                probe.during("password", change)
                wait_for_text(browser, "Trang chủ")
        return ratio(probe, "password")

    assert best_of(3, one_round) <= RATIO


def test_id_card_reading_does_not_freeze_other_clients(probed, tmp_path):
    from tests.support.card_captures import make_capture
    from tests.support.cards import random_person

    server, browser, new_probe = probed

    def read(seed: int):
        person = random_person(seed)
        (name, blob), = make_capture(person, "2021", "side_by_side", seed=seed)
        photo = tmp_path / f"{seed}-{name}"
        photo.write_bytes(blob)
        browser.get(server.url + "/intake/new")
        click(browser, "id-prefill")
        upload = WebDriverWait(browser, 15).until(
            lambda d: d.find_element(By.CSS_SELECTOR, '[data-testid="id-prefill"] input[type=file]'))
        return lambda: (upload.send_keys(str(photo)), WebDriverWait(browser, 90, poll_frequency=0.1).until(
            lambda d: _field_value(d, "id_number") == person["id_number"]))

    read(7401)()  # warm-up (the worker process starts), outside the probe
    def one_round(k: int) -> float:
        with new_probe() as probe:
            for seed in (7402 + 2 * k, 7403 + 2 * k):
                action = read(seed)
                measure_idle(probe)
                probe.during("ocr", action)
        return ratio(probe, "ocr")

    assert best_of(3, one_round) <= RATIO


def _field_value(browser, name: str) -> str | None:
    elements = browser.find_elements(
        By.CSS_SELECTOR, f'input[data-field="{name}"], [data-field="{name}"] input'
    )
    return elements[0].get_attribute("value") if elements else None


def test_signing_and_sealing_do_not_freeze_other_clients(probed):
    from tests.support.workflow import signed_dossier_ready

    server, browser, new_probe = probed

    def open_one(number: int):
        login(browser, server.url, "lanhdao")
        browser.get(f"{server.url}/queue/sign/{number}")
        wait_for(browser, '[data-testid="do-action"]')
        return lambda: (click(browser, "do-action"), wait_for_text(browser, "Đã ký số hồ sơ", timeout=60))

    def open_batch(username: str, queue: str, numbers: list[int]):
        login(browser, server.url, username)
        browser.get(f"{server.url}/queue/{queue}")
        for number in numbers:
            click(browser, f"select-{number}")
        done = f"Đã xử lý {len(numbers)}/{len(numbers)} hồ sơ"
        return lambda: (click(browser, "batch-action"), wait_for_text(browser, done, timeout=120))

    warm = [signed_dossier_ready(pages=2, title=t) for t in ("Giấy khai sinh", "Học bạ")]
    open_one(warm[0])()  # warm-up: both ways of signing, and sealing, run once outside the probe
    open_batch("lanhdao", "sign", warm[1:])()
    open_batch("vanthu", "seal", warm)()

    def one_round(_: int) -> float:
        # a leader signs one dossier from its page and four at once; the seal keeper seals the five
        dossiers = [signed_dossier_ready(pages=2, title=t)
                    for t in ("Bằng tốt nghiệp", "Học bạ", "Giấy khai sinh", "Sổ hộ khẩu", "Giấy kết hôn")]
        with new_probe() as probe:
            for phase, action in (("sign", lambda: open_one(dossiers[0])),
                                  ("sign", lambda: open_batch("lanhdao", "sign", dossiers[1:])),
                                  ("seal", lambda: open_batch("vanthu", "seal", dossiers))):
                act = action()
                measure_idle(probe)
                probe.during(phase, act)
        return max(ratio(probe, "sign"), ratio(probe, "seal"))

    assert best_of(3, one_round) <= RATIO
