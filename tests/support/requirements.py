"""The real parts the suite runs against. A missing one FAILS the run with its name; a developer's
laptop may opt out with TESTS_ALLOW_MISSING=postgresql,softhsm2,tesseract,chromium,faketime (or =1):
the tests needing it are then reported as skipped. CI never sets the variable."""
from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache

PARTS = ("postgresql", "softhsm2", "tesseract", "chromium", "faketime")
INSTALL = {
    "postgresql": "Debian package postgresql; run through tools/run_tests.sh (it starts a throwaway server "
                  "and sets TEST_PG_URL)",
    "softhsm2": "Debian packages softhsm2 opensc",
    "tesseract": "Debian packages tesseract-ocr tesseract-ocr-vie tesseract-ocr-script-viet",
    "chromium": "Debian packages chromium chromium-driver",
    "faketime": "Debian package faketime",
}


def allowed_missing(part: str) -> bool:
    wanted = {p.strip() for p in os.environ.get("TESTS_ALLOW_MISSING", "").split(",") if p.strip()}
    return "1" in wanted or "all" in wanted or part in wanted


@cache
def why_missing(part: str) -> str | None:
    """None when the part works here, else what is wrong with it."""
    if part == "postgresql":
        return _postgresql()
    if part == "softhsm2":
        from tests.support.signing import softhsm_module
        return None if softhsm_module() else "softhsm2-util or libsofthsm2.so not found"
    if part == "tesseract":
        return _tesseract()
    if part == "chromium":
        absent = [p for p in ("/usr/bin/chromium", "/usr/bin/chromedriver") if not os.path.exists(p)]
        return f"{', '.join(absent)} not found" if absent else None
    if part == "faketime":
        return None if shutil.which("faketime") else "faketime not found"
    raise ValueError(part)


def message(part: str) -> str:
    return (f"MISSING: {part} — {why_missing(part)}. Install: {INSTALL[part]}. "
            f"(A laptop may set TESTS_ALLOW_MISSING={part}; CI never does.)")


def require(part: str) -> None:
    """Fail the calling test (or skip it, when the developer opted out) if `part` is missing."""
    import pytest

    if why_missing(part) is None:
        return
    if allowed_missing(part):
        pytest.skip(message(part))
    pytest.fail(message(part), pytrace=False)


def _postgresql() -> str | None:
    url = os.environ.get("TEST_PG_URL")
    if not url:
        return "TEST_PG_URL is not set (no throwaway PostgreSQL was started)"
    try:
        import psycopg

        with psycopg.connect(
            url.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=10
        ) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 — reported as the missing part's reason
        return f"cannot connect to TEST_PG_URL: {exc}"
    return None


def _tesseract() -> str | None:
    if not shutil.which("tesseract"):
        return "the tesseract program is not installed"
    try:
        out = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except subprocess.TimeoutExpired:
        return "tesseract --list-langs did not answer within 30 s"
    langs = set((out.stdout + out.stderr).split())
    absent = [lang for lang in ("vie", "Vietnamese") if lang not in langs]
    return f"tesseract languages {', '.join(absent)} not installed" if absent else None
