"""Intake in a real browser at tablet width: new dossier, original, scan upload, fee, appointments."""
from __future__ import annotations

import io

from selenium.webdriver.common.by import By

from tests.e2e.conftest import (
    click,
    field,
    has_horizontal_scroll,
    login,
    screenshot,
    set_viewport,
    wait_for,
    wait_for_text,
)


def _pdf(tmp_path) -> str:
    from PIL import Image

    from tests.support.workflow import scan_page_jpeg

    pages = [Image.open(io.BytesIO(scan_page_jpeg(f"GIẤY KHAI SINH — trang {i}", dpi=60))).convert("RGB")
             for i in (1, 2)]
    path = tmp_path / "khai-sinh.pdf"
    pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=60)
    return str(path)


def test_intake_journey_on_a_tablet(live_server, browser, tmp_path):
    set_viewport(browser, 768, 1024)
    login(browser, live_server.url, "chungthuc")
    browser.get(live_server.url + "/intake/new")
    field(browser, "req-name").send_keys("Trần Thị Bình")
    field(browser, "req-id").send_keys("001180000999")
    field(browser, "req-phone").send_keys("0988123456")
    field(browser, "req-email").send_keys("binh@example.test")
    screenshot(browser, "intake_new_768")
    assert not has_horizontal_scroll(browser)
    click(browser, "req-open")
    wait_for(browser, '[data-testid="dossier-state"]')
    field(browser, "orig-title-new").send_keys("Giấy khai sinh")
    field(browser, "orig-issuer-new").send_keys("UBND phường Hoàn Kiếm")
    for code in ("not_altered", "legible", "not_secret", "lawful_content"):
        click(browser, f"check-{code}-new")
    click(browser, "orig-save-new")
    wait_for_text(browser, "Bản chính 1: Giấy khai sinh")
    upload = browser.find_element(By.CSS_SELECTOR, '[data-testid="scan-upload-1"] input[type=file]')
    upload.send_keys(_pdf(tmp_path))
    wait_for_text(browser, "Bản scan: 2 trang", timeout=30)
    thumb = wait_for(browser, '[data-testid="scan-page-1-2"] img')
    screenshot(browser, "dossier_768")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", thumb)
    screenshot(browser, "dossier_scans_768")
    assert not has_horizontal_scroll(browser)
    click(browser, "submit")
    wait_for_text(browser, "Hồ sơ chưa nộp phí chứng thực.")
    screenshot(browser, "dossier_submit_blocked_768")

    login(browser, live_server.url, "motcua")
    browser.get(live_server.url + "/fees")
    wait_for_text(browser, "Trần Thị Bình")
    screenshot(browser, "fees_768")
    assert not has_horizontal_scroll(browser)

    login(browser, live_server.url, "chungthuc")
    browser.get(live_server.url + "/intake")
    wait_for_text(browser, "Trần Thị Bình")
    screenshot(browser, "intake_list_768")
    browser.get(live_server.url + "/")
    wait_for(browser, '[data-testid="widget-intake"]')
    screenshot(browser, "home_chungthuc_768")

    login(browser, live_server.url, "001099012345")
    browser.get(live_server.url + "/my/appointments")
    wait_for(browser, '[data-testid="appt-book"]')
    screenshot(browser, "my_appointments_768")
    assert not has_horizontal_scroll(browser)
