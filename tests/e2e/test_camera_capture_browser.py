"""Camera capture (issue 17): three pages photographed on a desk with a tablet — skewed, sideways with an
EXIF orientation tag — are taken through the camera input in Chromium; the page count and the fee follow;
after payment, signing and sealing, the certified copy shows three upright pages cropped to the paper, in
the order taken (renders in tests/artifacts/camera-copy-page-N.png)."""
from __future__ import annotations

import secrets

import pytesseract
from selenium.webdriver.common.by import By

from tests.e2e.conftest import click, screenshot, set_viewport, wait_for, wait_for_text
from tests.e2e.test_scan_order_browser import _open_dossier, _pay, _sealed_copy, _wait_pages, desk  # noqa: F401
from tests.support.numbered_pages import pdf_page_images
from tests.support.photos import desk_photo

PHOTOS = [("TRANG 1", 9.0, 6), ("TRANG 2", -6.0, 8), ("TRANG 3", 4.0, 1)]  # title, skew, EXIF orientation


def _take_photos(browser, folder) -> None:
    paths = []
    for title, angle, orientation in PHOTOS:
        path = folder / f"IMG_{secrets.token_hex(3)}.jpg"
        path.write_bytes(desk_photo(title, angle_deg=angle, exif_orientation=orientation))
        paths.append(str(path))
    camera = browser.find_element(By.CSS_SELECTOR, '[data-testid="scan-camera-1"] input[type=file]')
    camera.send_keys("\n".join(paths))


def _act(browser, base: str, queue: str, dossier_id: int, done_text: str) -> None:
    browser.get(f"{base}/queue/{queue}")
    click(browser, f"open-{dossier_id}")
    wait_for(browser, '[data-testid="do-action"]')
    click(browser, "do-action")
    wait_for_text(browser, done_text, timeout=90)


def test_three_photographed_pages_become_three_upright_cropped_pages(live_server, desk, tmp_path, artifacts):  # noqa: F811
    base, clerk = live_server.url, desk["clerk"]
    url = _open_dossier(clerk, base, "Phạm Văn Chụp")
    dossier_id = int(url.rstrip("/").rsplit("/", 1)[1])
    _take_photos(clerk, tmp_path)
    _wait_pages(clerk, 3)
    wait_for_text(clerk, "Tổng phí: 5.000")  # 2 × 2.000 + 1 × 1.000
    for width, height in ((768, 1024), (1024, 768)):
        set_viewport(clerk, width, height)
        clerk.execute_script("arguments[0].scrollIntoView({block: 'start'})",
                             wait_for(clerk, '[data-testid="scan-page-1-1"]'))
        screenshot(clerk, f"camera-pages-{width}x{height}")
    set_viewport(clerk, 768, 1024)

    _pay(desk["cashier"], base, dossier_id)
    clerk.get(url)
    click(clerk, "submit")
    wait_for_text(clerk, "Chờ lãnh đạo ký")
    _act(desk["leader"], base, "sign", dossier_id, "Đã ký số hồ sơ")
    _act(desk["seal"], base, "seal", dossier_id, "Đã đóng dấu, cấp số")  # the result, not the step line

    pages = pdf_page_images(_sealed_copy(live_server, dossier_id), scale=1.0)
    assert len(pages) == 4  # three photographed pages and the statement page
    for number, page in enumerate(pages[:3], 1):
        page = page.convert("RGB")
        page.save(artifacts / f"camera-copy-page-{number}.png")
        assert page.height > page.width  # upright A4, not the sideways photo
        margin = [page.getpixel((x, y)) for x, y in ((8, 8), (page.width - 8, 8), (8, page.height - 8))]
        assert all(min(p) > 170 for p in margin), f"page {number}: desk left around the paper: {margin}"
        assert f"TRANG {number}" in pytesseract.image_to_string(page, lang="eng"), (
            f"page {number} not upright"
        )
