"""Real-browser fixtures: the real server in a subprocess and headless Chromium through Selenium."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.support.waits import budget

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    data_dir: Path
    database_url: str
    process: subprocess.Popen
    log_path: Path

    @contextmanager
    def db(self):
        """A session on the server's own database, for looking at what the journey wrote."""
        from sqlmodel import Session

        from app.db import make_engine

        engine = make_engine(self.database_url)
        try:
            with Session(engine, expire_on_commit=False) as session:
                yield session
        finally:
            engine.dispose()


def start_server(data_dir: Path, extra_env: dict | None = None, log_name: str = "server.log") -> LiveServer:
    """``log_name``: several servers sharing one DATA_DIR (bench/cluster.py) each keep their own log."""
    port = _free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATA_DIR": str(data_dir), "DEMO": "1", "PORT": str(port), "HOST": "127.0.0.1",
           "BASE_URL": f"http://127.0.0.1:{port}", "NICEGUI_STORAGE_PATH": str(data_dir / "nicegui")}
    env.pop("DATABASE_URL", None)
    env.pop("PYTEST_CURRENT_TEST", None)  # else NiceGUI thinks it runs under its own test harness
    env.update(extra_env or {})
    log_path = data_dir / log_name
    process = subprocess.Popen([sys.executable, "main.py"], cwd=ROOT, env=env,
                               stdout=open(log_path, "w"), stderr=subprocess.STDOUT)  # noqa: SIM115 — the server's whole life
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + budget(60)
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError("server exited:\n" + log_path.read_text())
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
        process.kill()
        raise RuntimeError("server did not start:\n" + log_path.read_text())
    database_url = env.get("DATABASE_URL") or f"sqlite:///{data_dir.resolve() / 'chungthuc.db'}"
    return LiveServer(url, data_dir, database_url, process, log_path)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("live") / "data")
    yield server
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


def new_browser(nice: int = 0):
    """Headless Chromium; ``nice`` lowers its priority (chromedriver and every Chromium process it starts)."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--lang=vi", "--window-size=1024,768"]:
        options.add_argument(arg)
    download_dir = Path(os.environ.get("TMPDIR", "/tmp")) / f"ct-downloads-{os.getpid()}"
    download_dir.mkdir(exist_ok=True)
    options.add_experimental_option("prefs", {"download.default_directory": str(download_dir),
                                              "download.prompt_for_download": False})
    popen = {"preexec_fn": (lambda: os.nice(nice))} if nice else {}
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver", popen_kw=popen))
    driver.download_dir = download_dir
    driver.implicitly_wait(0)
    return driver


@pytest.fixture(scope="module")
def browser():
    driver = new_browser()
    yield driver
    driver.quit()


def set_viewport(browser, width: int, height: int) -> None:
    """Make the page's inner size exactly width × height (window chrome differs per platform)."""
    browser.set_window_size(width, height)
    inner_w, inner_h = browser.execute_script("return [window.innerWidth, window.innerHeight]")
    browser.set_window_size(width + (width - inner_w), height + (height - inner_h))


# NiceGUI re-renders parts of the page; an element found a moment ago may be gone: look again.
IGNORED = (StaleElementReferenceException,)


def wait_for(browser, css: str, timeout: float = 15):
    return WebDriverWait(browser, budget(timeout), ignored_exceptions=IGNORED).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, css)))


def wait_for_text(browser, text: str, timeout: float = 15) -> None:
    WebDriverWait(browser, budget(timeout), ignored_exceptions=IGNORED).until(
        lambda d: text in d.find_element(By.TAG_NAME, "body").text)


def field(browser, testid: str):
    """The <input> inside a NiceGUI input marked with data-testid (Quasar puts the attribute on the input)."""
    element = wait_for(browser, f'[data-testid="{testid}"]')
    if element.tag_name not in ("input", "textarea"):
        element = element.find_element(By.CSS_SELECTOR, "input, textarea")
    return element


def click(browser, testid: str) -> None:
    wait_for(browser, f'[data-testid="{testid}"]').click()


def login(browser, base: str, username: str, password: str = "demo1234") -> None:
    browser.delete_all_cookies()
    browser.get(base + "/login")
    field(browser, "login").send_keys(username)
    field(browser, "password").send_keys(password)
    click(browser, "submit")
    wait_for(browser, '[data-testid="user-name"]')


def screenshot(browser, name: str) -> Path:
    path = ROOT / "tests" / "artifacts" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(path))
    return path


def has_horizontal_scroll(browser) -> bool:
    return browser.execute_script(
        "return document.documentElement.scrollWidth > document.documentElement.clientWidth + 1")
