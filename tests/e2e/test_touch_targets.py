"""Touch targets on the tablet pages are at least 44×44 CSS px (WCAG 2.5.5, Apple HIG; clerks work with
fingers), and axe-core finds no serious or critical WCAG 2.1 AA violation: every page of every role at both
tablet sizes, with one browser, each page visited once per size (axe runs on the first visit)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.conftest import ROOT, click, field, login, screenshot, set_viewport, wait_for, wait_for_text
from tests.e2e.test_intake_browser import _pdf
from tests.support.card_captures import make_capture
from tests.support.cards import random_person

AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SIZES = ((768, 1024), (1024, 768))
ROLES = ("admin", "motcua", "chungthuc", "lanhdao", "vanthu", "001099012345")
PUBLIC = ("/login", "/forgot-password", "/verify")
# Detail pages reached by buttons rather than links: {signed} a dossier waiting for the leader, {refused} a
# refused one, {clerk} an account (filled in from the records `seeded` prepares).
EXTRA = {"admin": ["/admin/users/new", "/admin/users/{clerk}"],
         "motcua": ["/citizen-accounts/new"],
         "chungthuc": ["/intake/new", "/dossier/{signed}", "/handled/{refused}"],
         "lanhdao": ["/queue/sign/{signed}"]}
# Not pages: signing out, file downloads and API routes.
SKIP = re.compile(r"^/(logout|api/|download|files?/|static/|_nicegui)"
                  r"|\.(pdf|png|jpg|zip|csv|xml|json|pem|cer|crt)$")

# Everything a finger may press. A checkbox or radio counts through its whole row (Quasar's root element
# holds the box and its label); the bare <input> inside it is not measured on its own.
TARGETS = """
const out = [];
let measured = 0;
const sel = 'a[href], button, [role=button], [role=checkbox], [role=radio], [role=switch], '
  + 'input[type=checkbox], input[type=radio], .q-icon.cursor-pointer, .q-field__focusable-action, .q-btn';
for (const el of document.querySelectorAll(sel)) {
  if (el.matches('input') && el.closest('.q-checkbox, .q-radio, .q-toggle, label')) continue;
  const r = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue;
  if (el.closest('[aria-hidden=true], .q-drawer-container .q-drawer--left:not(.q-drawer--opened)')) continue;
  if (r.right <= 0 || r.bottom <= 0) continue;  // off-screen (the closed menu)
  measured += 1;
  if (Math.round(r.width) < 44 || Math.round(r.height) < 44)
    out.push(`${(el.innerText || el.getAttribute('aria-label') || el.className || el.tagName).trim()
               .replace(/\\s+/g, ' ').slice(0, 40)} ${Math.round(r.width)}×${Math.round(r.height)}`);
}
return [out, measured];
"""

AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                   resultTypes: ['violations']})
  .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}): ` + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))
  .catch(e => done(['axe failed: ' + e]));
"""

LINKS = """
return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
  .filter(h => h && h.startsWith('/'));
"""


# Whether a notification covers the button, scrolled to the foot of the screen as a finger brings it there.
COVERED = """
const button = document.querySelector(`[data-testid="${arguments[0]}"]`);
button.scrollIntoView(false);
const b = button.getBoundingClientRect();
return [...document.querySelectorAll('.q-notification')].some(n => {
  const r = n.getBoundingClientRect();
  return r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom;
});
"""


# Quasar's upload counters ("0.0B / 0.00%", "12.3KB / 100.00%"): they say nothing about whether a file was
# taken (issue 33.2); any visible one is reported.
COUNTERS = r"""
return (document.body.innerText.match(/\d+(\.\d+)?\s?[KMG]?B\s*\/\s*\d+(\.\d+)?%|\d+\.\d\d%/g) || []);
"""


def byte_counters(browser) -> list[str]:
    return browser.execute_script(COUNTERS)


def small_targets(browser) -> list[str]:
    return browser.execute_script(TARGETS)[0]


def axe_violations(browser) -> list[str]:
    browser.execute_script(AXE.read_text())
    browser.set_script_timeout(60)
    return browser.execute_async_script(AXE_RUN)


def _shape(path: str) -> str:
    """/dossier/17 and /dossier/18 are one page: visit one of them."""
    return re.sub(r"/[0-9a-fA-F-]{1,}(?=/|$)", "/{id}", path.split("?")[0].split("#")[0])


def _settle(browser) -> None:
    """The page has drawn: NiceGUI's content is mounted and no Quasar transition is running."""
    wait_for(browser, "#app .nicegui-content, #app .q-layout", timeout=15)
    browser.execute_async_script(
        "const done = arguments[0]; requestAnimationFrame(() => setTimeout(done, 400));")


def _check(browser, url: str, run_axe: bool, found: dict, counts: dict) -> list[str]:
    browser.get(url)
    _settle(browser)
    small, measured = browser.execute_script(TARGETS)
    counts["elements"] += measured
    counts["pages"] += 1
    if small:
        found["small"].append(f"{url}: {small}")
    if counters := byte_counters(browser):
        found["counters"].append(f"{url}: {counters}")
    if run_axe:
        violations = axe_violations(browser)
        if violations:
            found["axe"].append(f"{url}: {violations}")
    return browser.execute_script(LINKS)


def _visit_all(browser, base: str, start: list[str], who: str, found: dict, counts: dict) -> None:
    seen: set[str] = set()
    queue = list(start)
    pages: list[str] = []
    set_viewport(browser, *SIZES[0])
    while queue:  # the menu's pages, then detail pages found on them (one of each shape)
        path = queue.pop(0)
        if _shape(path) in seen or SKIP.search(path.split("?")[0]) or who != "public" and path in PUBLIC:
            continue
        seen.add(_shape(path))
        pages.append(path)
        queue.extend(_check(browser, base + path, True, found, counts))
    screenshot(browser, f"every-page-{who}-768")
    set_viewport(browser, *SIZES[1])
    for path in pages:
        _check(browser, base + path, False, found, counts)
    screenshot(browser, f"every-page-{who}-1024")


@pytest.fixture(scope="module")
def seeded(live_server):
    """Records for the detail pages to show: a dossier waiting for the leader, one refused to the demo
    citizen (prepared with the use cases on the live server's own database)."""
    from app.db import dispose_engine, write_scope
    from app.dossier_service import refuse_with_notice
    from app.settings import reload_settings
    from domain import dossiers
    from tests.support.workflow import signed_dossier_ready, user_named

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATA_DIR", str(live_server.data_dir))
        patch.setenv("BASE_URL", live_server.url)
        dispose_engine()
        reload_settings()
        signed = signed_dossier_ready(pages=1)
        clerk = user_named("chungthuc")
        with write_scope() as session:
            refused = dossiers.open_dossier(session, clerk, dossiers.RequesterData(
                name="Nguyễn Văn An", id_number="001099012345", phone="0987654321"))
            refuse_with_notice(session, clerk, refused.id, ["damaged_illegible"],
                               "Bản chính rách mất góc trang 1.")
        dispose_engine()
    reload_settings()
    return live_server, {"signed": signed, "refused": refused.id, "clerk": clerk.account_id}


@pytest.fixture(scope="module")
def tally():
    counts = {"elements": 0, "pages": 0, "small": [], "axe": []}
    yield counts
    report = ROOT / "tests" / "artifacts" / "every-page.txt"
    report.parent.mkdir(parents=True, exist_ok=True)
    with Path(report).open("a") as f:
        f.write(f"{counts['pages']} page visits, {counts['elements']} targets measured, "
                f"{len(counts['small'])} pages with small targets, {len(counts['axe'])} pages with axe "
                "violations\n" + "".join(f"  {line}\n" for line in counts["small"] + counts["axe"]))


@pytest.mark.parametrize("who", ["public", *ROLES])
def test_every_page_fits_a_finger_and_passes_axe(seeded, browser, who, tally):
    live_server, ids = seeded
    assert AXE.exists(), "axe-core missing: run `make axe` (npm ci in tools/axe)"
    found: dict[str, list[str]] = {"small": [], "axe": [], "counters": []}
    if who == "public":
        browser.delete_all_cookies()
        _visit_all(browser, live_server.url, list(PUBLIC), who, found, tally)
    else:
        login(browser, live_server.url, who)
        extra = [path.format(**ids) for path in EXTRA.get(who, [])]
        _visit_all(browser, live_server.url, ["/", *extra], who, found, tally)
    tally["small"] += found["small"]
    tally["axe"] += found["axe"]
    assert found == {"small": [], "axe": [], "counters": []}, (
        "targets under 44×44 px:\n" + "\n".join(found["small"])
        + "\nserious/critical axe violations:\n" + "\n".join(found["axe"])
        + "\nupload byte counters shown:\n" + "\n".join(found["counters"]))


def test_intake_and_dossier_pages_have_finger_sized_targets(live_server, browser, tmp_path):
    set_viewport(browser, 768, 1024)
    login(browser, live_server.url, "chungthuc")
    browser.get(live_server.url + "/intake/new")
    wait_for(browser, '[data-testid="req-name"]')
    assert small_targets(browser) == []
    click(browser, "id-prefill")  # the pre-fill form is built when opened; its «Đúng» boxes show after a read
    (name, blob), = make_capture(random_person(7302), "2021", "side_by_side", seed=7302)
    (tmp_path / name).write_bytes(blob)
    WebDriverWait(browser, 15).until(lambda d: d.find_element(
        By.CSS_SELECTOR, '[data-testid="id-prefill"] input[type=file]')).send_keys(str(tmp_path / name))
    wait_for(browser, "[data-confirm]", timeout=90)
    for size in SIZES:
        set_viewport(browser, *size)
        assert small_targets(browser) == [], size
        assert byte_counters(browser) == [], size
    set_viewport(browser, *SIZES[0])
    click(browser, "id-copy")  # nothing confirmed yet: a warning, which must leave the next button free
    wait_for(browser, ".q-notification")
    assert browser.execute_script(COVERED, "req-open") is False
    assert axe_violations(browser) == []  # the warning itself is legible (its text and its «Đóng»)
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
    assert byte_counters(browser) == []  # the empty uploaders' header: no "0.0B / 0.00%"
    browser.find_element(By.CSS_SELECTOR, '[data-testid="scan-upload-1"] input[type=file]').send_keys(
        _pdf(tmp_path)
    )
    wait_for(browser, '[data-testid="scan-page-1-2"] img', timeout=30)
    assert small_targets(browser) == []
    assert byte_counters(browser) == []


def test_the_clear_icon_of_a_search_field_is_finger_sized(live_server, browser):
    login(browser, live_server.url, "admin")
    browser.get(live_server.url + "/admin/users")
    field(browser, "user-search").send_keys("chung")  # the clear icon shows once there is text
    wait_for(browser, ".q-field__focusable-action")
    for size in SIZES:
        set_viewport(browser, *size)
        assert small_targets(browser) == [], size
