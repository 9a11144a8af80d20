"""Screenshots of the tablet pages at 768×1024 and 1024×768 in headless Chromium (for looking, not asserting).

    .venv/bin/python bench/screens.py [LEGACY_TAILWIND=1 style: --legacy] [paths...]
Pictures go to tests/artifacts/screens/ (git-ignored).
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import login, set_viewport, start_server

PAGES = [(None, "/login"), ("chungthuc", "/"), ("chungthuc", "/intake/new"), ("lanhdao", "/queue/sign"),
         ("chungthuc", "/intake")]


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=vi",
                "--hide-scrollbars"]:
        options.add_argument(arg)
    return webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))


def main(args: list[str]) -> None:
    legacy = "--legacy" in args
    paths = [a for a in args if a.startswith("/")]
    pages = [(u, p) for u, p in PAGES if not paths or p in paths]
    out = ROOT / "tests" / "artifacts" / "screens"
    out.mkdir(parents=True, exist_ok=True)
    server = start_server(Path(tempfile.mkdtemp()) / "data", {"LEGACY_TAILWIND": "1" if legacy else "0"})
    driver = browser()
    try:
        for user, path in pages:
            for w, h in ((768, 1024), (1024, 768)):
                set_viewport(driver, w, h)
                if user:
                    login(driver, server.url, user)
                else:
                    driver.delete_all_cookies()
                driver.get(server.url + path)
                import time

                time.sleep(1.5)
                name = f"{'legacy-' if legacy else ''}{(user or 'anon')}{path.replace('/', '_')}-{w}x{h}.png"
                driver.save_screenshot(str(out / name))
                print(out / name)
    finally:
        driver.quit()
        server.process.terminate()


if __name__ == "__main__":
    main(sys.argv[1:])
