"""Issue 18: several scan files picked in one go are all received, shown and sealed in the order picked.

At 768×1024 the certifying official picks 3 numbered JPEG pages at once, then 12 more; every page must
be on screen in order without a reload, the page count and the fee must follow; then the dossier is
paid, submitted, signed and sealed through the pages, and the sealed copy's pages are read back (their
printed number by OCR in the first round, their colour in every round) in order. The round is repeated
(SCAN_ORDER_ROUNDS, default 2; the issue's 10-round proof is
`SCAN_ORDER_ROUNDS=10 pytest tests/e2e/test_scan_order_browser.py`).
"""
from __future__ import annotations

import base64
import io
import os
import secrets

import pytest
from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.conftest import IGNORED, click, field, login, screenshot, set_viewport, wait_for, wait_for_text
from tests.support.numbered_pages import colour_number, numbered_page_jpeg, pdf_page_images, printed_number

ROUNDS = int(os.environ.get("SCAN_ORDER_ROUNDS", "2"))
CHECKS = ("not_altered", "legible", "not_secret", "lawful_content")


def _chromium() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--lang=vi", "--window-size=768,1024"]:
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    driver.implicitly_wait(0)
    return driver


@pytest.fixture(scope="module")
def desk(live_server):
    """One signed-in browser per role, as on four tablets: clerk, cashier, leader, seal keeper."""
    drivers = {}
    try:
        for role, username in (("clerk", "chungthuc"), ("cashier", "motcua"), ("leader", "lanhdao"),
                               ("seal", "vanthu")):
            drivers[role] = _chromium()
            set_viewport(drivers[role], 768, 1024)
            login(drivers[role], live_server.url, username)
        yield drivers
    finally:
        for driver in drivers.values():
            driver.quit()


def _pick(browser, folder, numbers: list[int]) -> None:
    """Choose the files in one go, in this order; names are random so name order tells nothing."""
    paths = []
    for number in numbers:
        path = folder / f"{secrets.token_hex(4)}.jpg"
        path.write_bytes(numbered_page_jpeg(number))
        paths.append(str(path))
    upload = browser.find_element(By.CSS_SELECTOR, '[data-testid="scan-upload-1"] input[type=file]')
    upload.send_keys("\n".join(paths))


def _thumbnail_numbers(browser, count: int, css: str = '[data-testid="scan-page-1-{}"] img') -> list[int]:
    numbers = []
    for index in range(1, count + 1):
        src = WebDriverWait(browser, 60, ignored_exceptions=IGNORED).until(
            lambda d, i=index: _src(d, css.format(i)))
        data = base64.b64decode(src.split(",", 1)[1])
        numbers.append(colour_number(Image.open(io.BytesIO(data))))
    return numbers


def _src(browser, css: str) -> str | None:
    """The picture's data URL once it is there (previews load after the page shows)."""
    found = browser.find_elements(By.CSS_SELECTOR, css)
    src = found[0].get_attribute("src") if found else None
    return src if src and src.startswith("data:") else None


def _wait_pages(browser, count: int) -> None:
    wait_for_text(browser, f"Bản scan: {count} trang", timeout=90)
    WebDriverWait(browser, 30, ignored_exceptions=IGNORED).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, '[data-testid^="scan-page-1-"] img')) == count)


def _look_at_thumbnails(clerk) -> None:
    """Screenshots of the 15 thumbnails at both tablet orientations, for a person to look at."""
    for width, height in ((768, 1024), (1024, 768)):
        set_viewport(clerk, width, height)
        clerk.execute_script("arguments[0].scrollIntoView({block: 'start'})",
                             wait_for(clerk, '[data-testid="scan-page-1-1"]'))
        assert clerk.execute_script(
            "return document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")
        screenshot(clerk, f"scan-order-15-pages-{width}x{height}")
    set_viewport(clerk, 768, 1024)


def _open_dossier(clerk, base: str, name: str) -> str:
    clerk.get(base + "/intake/new")
    field(clerk, "req-name").send_keys(name)
    field(clerk, "req-id").send_keys("001180000999")
    field(clerk, "req-phone").send_keys("0988123456")
    click(clerk, "req-open")
    wait_for(clerk, '[data-testid="dossier-state"]')
    field(clerk, "orig-title-new").send_keys("Học bạ trung học phổ thông")
    field(clerk, "orig-issuer-new").send_keys("Trường THPT Chu Văn An")
    for code in CHECKS:
        click(clerk, f"check-{code}-new")
    click(clerk, "orig-save-new")
    wait_for_text(clerk, "Bản chính 1: Học bạ")
    return clerk.current_url


def _pay(cashier, base: str, dossier_id: int) -> None:
    cashier.get(base + "/fees")
    click(cashier, f"pay-{dossier_id}")
    field(cashier, "pay-receipt").send_keys(f"BL-{dossier_id}")
    click(cashier, "pay-save")
    wait_for_text(cashier, f"BL-{dossier_id}")


def _act(browser, base: str, queue: str, dossier_id: int, done_text: str) -> None:
    browser.get(f"{base}/queue/{queue}")
    click(browser, f"open-{dossier_id}")
    # the review shows every page, numbered, in the stored order
    assert _thumbnail_numbers(browser, 15, '[data-testid="preview-{}"] img') == list(range(1, 16))
    click(browser, "do-action")
    wait_for_text(browser, done_text, timeout=90)


def _sealed_copy(server, dossier_id: int) -> bytes:
    from sqlmodel import select

    from domain.models import RegisterEntry

    with server.db() as session:
        entry = session.exec(select(RegisterEntry).where(RegisterEntry.dossier_id == dossier_id)).one()
    return (server.data_dir / "files" / entry.file_sha256[:2] / entry.file_sha256).read_bytes()


def test_pages_picked_at_once_stay_complete_and_in_order(live_server, desk, tmp_path):
    base = live_server.url
    clerk = desk["clerk"]
    for round_no in range(1, ROUNDS + 1):
        url = _open_dossier(clerk, base, f"Lê Thị Thứ Tự {round_no}")
        dossier_id = int(url.rstrip("/").rsplit("/", 1)[1])

        _pick(clerk, tmp_path, [1, 2, 3])
        _wait_pages(clerk, 3)
        assert _thumbnail_numbers(clerk, 3) == [1, 2, 3]
        wait_for_text(clerk, "Tổng phí: 5.000")  # 2 × 2.000 + 1 × 1.000

        _pick(clerk, tmp_path, list(range(4, 16)))
        _wait_pages(clerk, 15)
        assert _thumbnail_numbers(clerk, 15) == list(range(1, 16))
        wait_for_text(clerk, "Tổng phí: 17.000")  # 2 × 2.000 + 13 × 1.000
        if round_no == 1:
            _look_at_thumbnails(clerk)

        _pay(desk["cashier"], base, dossier_id)
        clerk.get(url)
        click(clerk, "submit")
        wait_for_text(clerk, "Chờ lãnh đạo ký")
        _act(desk["leader"], base, "sign", dossier_id, "Đã ký số hồ sơ")
        _act(desk["seal"], base, "seal", dossier_id, "Đã đóng dấu, cấp số")  # the result, not the step line

        pages = pdf_page_images(_sealed_copy(live_server, dossier_id), scale=1.0)
        assert len(pages) == 16  # 15 scanned pages and the statement page
        assert [colour_number(p) for p in pages[:15]] == list(range(1, 16)), f"round {round_no}"
        if round_no == 1:  # the colour already tells the order; OCR proves the page content once
            assert [printed_number(p) for p in pages[:15]] == list(range(1, 16)), f"round {round_no}"
