"""Touch targets on the tablet pages are at least 44×44 CSS px (WCAG 2.5.5; clerks work with fingers)."""
from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.e2e.conftest import click, field, login, set_viewport, wait_for, wait_for_text
from tests.e2e.test_intake_browser import _pdf

# Every visible thing a finger may press: links, buttons, clickable icons.
SMALL_TARGETS = """
const out = [];
for (const el of document.querySelectorAll('a[href], button, [role=button], .q-icon.cursor-pointer, .q-btn'))
{
  const r = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
  if (el.closest('.q-drawer--mini, .q-drawer:not(.q-drawer--on-top)') && r.right <= 0) continue;
  if (Math.round(r.width) < 44 || Math.round(r.height) < 44)
    out.push(`${(el.innerText || el.getAttribute('aria-label') || el.className).trim().slice(0, 40)} `
             + `${Math.round(r.width)}×${Math.round(r.height)}`);
}
return out;
"""


def small_targets(browser) -> list[str]:
    return browser.execute_script(SMALL_TARGETS)


def test_intake_and_dossier_pages_have_finger_sized_targets(live_server, browser, tmp_path):
    set_viewport(browser, 768, 1024)
    login(browser, live_server.url, "chungthuc")
    browser.get(live_server.url + "/intake/new")
    wait_for(browser, '[data-testid="req-name"]')
    assert small_targets(browser) == []
    field(browser, "req-name").send_keys("Lê Văn Cường")
    field(browser, "req-id").send_keys("001180000777")
    click(browser, "req-open")
    wait_for(browser, '[data-testid="dossier-state"]')
    assert small_targets(browser) == []


def test_scan_page_tools_are_finger_sized(live_server, browser, tmp_path):
    set_viewport(browser, 768, 1024)
    login(browser, live_server.url, "chungthuc")
    browser.get(live_server.url + "/intake/new")
    field(browser, "req-name").send_keys("Lê Văn Dũng")
    field(browser, "req-id").send_keys("001180000778")
    click(browser, "req-open")
    wait_for(browser, '[data-testid="dossier-state"]')
    field(browser, "orig-title-new").send_keys("Bằng tốt nghiệp")
    for code in ("not_altered", "legible", "not_secret", "lawful_content"):
        click(browser, f"check-{code}-new")
    click(browser, "orig-save-new")
    wait_for_text(browser, "Bản chính 1: Bằng tốt nghiệp")
    browser.find_element(By.CSS_SELECTOR, '[data-testid="scan-upload-1"] input[type=file]').send_keys(
        _pdf(tmp_path)
    )
    wait_for(browser, '[data-testid="scan-page-1-2"] img', timeout=30)
    assert small_targets(browser) == []
