"""Lighthouse on the tablet pages, the old setting (NiceGUI's in-browser Tailwind) against the new one.

Needs node/npm: Lighthouse is installed from the npm registry into bench/lighthouse/ (bench only, not the
product) on first use. Prints performance / total blocking time / largest contentful paint per page,
profile (mobile = Lighthouse's default mid-range device on 4G; desktop) and setting.
    .venv/bin/python bench/bench_lighthouse.py [--quick] [--only=/intake/new]
    (--quick: /login and the home only, mobile; --only: that page only, both profiles)
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.screens import browser
from tests.e2e.conftest import login, start_server

LH_DIR = ROOT / "bench" / "lighthouse"
LH = LH_DIR / "node_modules" / ".bin" / "lighthouse"
PAGES = [(None, "/login"), ("chungthuc", "/"), ("chungthuc", "/intake/new"), ("lanhdao", "/queue/sign")]


def ensure_lighthouse() -> None:
    if not LH.exists():
        subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=LH_DIR, check=True)


def cookie_for(url: str, username: str | None) -> str:
    if username is None:
        return ""
    driver = browser()
    try:
        login(driver, url, username)
        return "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    finally:
        driver.quit()


def lighthouse(url: str, cookie: str, desktop: bool) -> dict:
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    args = [str(LH), url, "--quiet", "--only-categories=performance", "--output=json", f"--output-path={out}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"]
    if desktop:
        args.append("--preset=desktop")
    if cookie:
        args.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    subprocess.run(args, check=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    report = json.loads(out.read_text())
    out.unlink()
    audits = report["audits"]
    return {
        "score": round(report["categories"]["performance"]["score"] * 100),
        "tbt": audits["total-blocking-time"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        "final": report.get("finalDisplayedUrl", ""),
    }


def main(args: list[str]) -> None:
    quick = "--quick" in args
    ensure_lighthouse()
    pages = PAGES[:2] if quick else PAGES
    only = [a.split("=", 1)[1] for a in args if a.startswith("--only=")]
    pages = [p for p in pages if not only or p[1] in only]
    profiles = [False] if quick else [False, True]
    servers = {name: start_server(Path(tempfile.mkdtemp()) / "data", {"LEGACY_TAILWIND": flag})
               for name, flag in (("old (tailwind=True)", "1"), ("new (prebuilt CSS)", "0"))}
    try:
        print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(f"{'page':<14} {'profile':<8} {'setting':<20} {'perf':>4} {'TBT ms':>7} {'LCP s':>6} {'kB':>6}")
        for user, path in pages:
            cookies = {name: cookie_for(s.url, user) for name, s in servers.items()}
            for desktop in profiles:
                for name, server in servers.items():
                    r = lighthouse(server.url + path, cookies[name], desktop)
                    assert r["final"].rstrip("/").endswith(path.rstrip("/")), f"redirected: {r['final']}"
                    print(f"{path:<14} {'desktop' if desktop else 'mobile':<8} {name:<20} {r['score']:>4} "
                          f"{r['tbt']:>7.0f} {r['lcp'] / 1000:>6.1f} {r['bytes'] / 1024:>6.0f}  "
                          f"(load {os.getloadavg()[0]:.1f})", flush=True)
    finally:
        for server in servers.values():
            server.process.terminate()


if __name__ == "__main__":
    main(sys.argv[1:])
