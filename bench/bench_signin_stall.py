"""Argon2 off the event loop (issue 12, point 11): other clients' round trips while five tablet sign-ins run.

The real server (one process, demo data) and headless Chromium: one clerk opens /intake/new in five tabs,
fills the tablet sign-in dialog with the citizen's credentials in each, then confirms all five at once (five
argon2 checks of ~1 s). Meanwhile another client loads /login (a page built on the event loop) again and
again. Printed: that client's median and worst round trip while idle and during the five sign-ins, and their
ratio (same run); the worst round trip is the figure that matters. With argon2 on the event loop the five
checks queue behind each other and another client waits seconds (worst 45× idle); off the loop the ratio
stays small (what is left is two cores shared with argon2).

    python bench/bench_signin_stall.py
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from tests.e2e.conftest import start_server  # noqa: E402

TABS = 5
IDLE_SAMPLES = 30


def browser() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--window-size=1024,768"]:
        options.add_argument(arg)
    return webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))


def wait_for(driver, css: str, timeout: float = 30):
    return WebDriverWait(driver, timeout).until(EC.element_to_be_clickable((By.CSS_SELECTOR, css)))


def prepare_tabs(driver, base: str) -> list[str]:
    driver.get(base + "/login")
    wait_for(driver, '[data-testid="login"] input, input[data-testid="login"]').send_keys("chungthuc")
    driver.find_element(By.CSS_SELECTOR, 'input[data-testid="password"], [data-testid="password"] input') \
        .send_keys("demo1234")
    wait_for(driver, '[data-testid="submit"]').click()
    wait_for(driver, '[data-testid="user-name"]')
    handles = []
    for i in range(TABS):
        if i:
            driver.switch_to.new_window("tab")
        driver.get(base + "/intake/new")
        wait_for(driver, '[data-testid="tablet-login"]').click()
        field(driver, "tablet-user").send_keys("0987654321")
        field(driver, "tablet-password").send_keys("demo1234")
        handles.append(driver.current_window_handle)
    return handles


def field(driver, testid: str):
    return wait_for(driver, f'input[data-testid="{testid}"], [data-testid="{testid}"] input')


def probe(base: str, stop: threading.Event, out: list[float]) -> None:
    with httpx.Client(base_url=base, timeout=60) as http:
        while not stop.is_set():
            started = time.perf_counter()
            http.get("/login")
            out.append(time.perf_counter() - started)
            time.sleep(0.05)


def idle_round_trips(base: str) -> list[float]:
    samples = []
    with httpx.Client(base_url=base, timeout=60) as http:
        for _ in range(IDLE_SAMPLES):
            started = time.perf_counter()
            http.get("/login")
            samples.append(time.perf_counter() - started)
            time.sleep(0.05)
    return samples


def all_signed_in(driver, handles: list[str]) -> bool:
    for handle in handles:
        driver.switch_to.window(handle)
        if "Đã xác thực tài khoản công dân" not in driver.page_source:
            return False
    return True


def main() -> None:
    server = start_server(Path(tempfile.mkdtemp(prefix="bench-stall-")) / "data")
    driver = browser()
    try:
        base = server.url
        handles = prepare_tabs(driver, base)
        idle = idle_round_trips(base)
        busy: list[float] = []
        stop = threading.Event()
        thread = threading.Thread(target=probe, args=(base, stop, busy))
        started = time.perf_counter()
        thread.start()
        for handle in handles:  # five confirmations, as fast as the driver can switch tabs
            driver.switch_to.window(handle)
            driver.execute_script('document.querySelector(\'[data-testid="tablet-ok"]\').click()')
        deadline = time.time() + 120
        while not all_signed_in(driver, handles) and time.time() < deadline:
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        stop.set()
        thread.join()
        done = all_signed_in(driver, handles)
        idle_med, busy_med = statistics.median(idle), statistics.median(busy)
        print(f"five tablet sign-ins {'done' if done else 'NOT all done'} in {elapsed:.2f} s")
        print(f"other client /login round trip, idle:   median {idle_med * 1000:.0f} ms, worst "
              f"{max(idle) * 1000:.0f} ms ({len(idle)} loads)")
        print(f"other client /login round trip, busy:   median {busy_med * 1000:.0f} ms, worst "
              f"{max(busy) * 1000:.0f} ms ({len(busy)} loads)")
        print(f"ratio busy/idle: median {busy_med / idle_med:.1f}×, worst {max(busy) / max(idle):.1f}×")
        if not done:
            sys.exit(1)
    finally:
        driver.quit()
        server.process.terminate()
        server.process.wait(timeout=10)


if __name__ == "__main__":
    main()
