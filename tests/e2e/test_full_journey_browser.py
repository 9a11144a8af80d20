"""One dossier through every role in Chromium at 768×1024, as the people at the desk would do it:
the citizen books a visit → the certifying official receives it from the appointment list, enters the
original and uploads a 3-page scan → the one-stop desk collects the fee → the official submits →
the leader signs → the seal keeper seals → the citizen downloads the PDF, which `python main.py
verify` reports valid, and the e-mail with the PDF arrives at a local SMTP server."""
from __future__ import annotations

import email
import io
import json
import os
import subprocess
import sys
import time
from datetime import datetime

import pytest
from aiosmtpd.controller import Controller
from selenium.webdriver.common.by import By

from domain.calendar import OfficeCalendar
from domain.clock import LOCAL_TZ
from tests.conftest import _pg_database
from tests.e2e.conftest import (
    ROOT,
    _free_port,
    click,
    field,
    has_horizontal_scroll,
    login,
    screenshot,
    set_viewport,
    start_server,
    wait_for,
    wait_for_text,
)
from tests.support.requirements import require
from tests.support.waits import budget


class Inbox:
    def __init__(self):
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_inbox():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def journey_server(request, tmp_path, smtp_inbox):
    """The real server on SQLite, then on a fresh database of the throwaway PostgreSQL."""
    _, port = smtp_inbox
    env = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port)}
    if request.param == "postgresql":
        require("postgresql")
        env["DATABASE_URL"] = _pg_database(os.environ["TEST_PG_URL"])
    server = start_server(tmp_path / "data", env)
    yield server
    server.process.terminate()
    server.process.wait(timeout=10)


def _three_page_pdf(tmp_path) -> str:
    from PIL import Image

    from tests.support.workflow import scan_page_jpeg

    pages = [Image.open(io.BytesIO(scan_page_jpeg(f"BẰNG TỐT NGHIỆP — trang {i}", dpi=60))).convert("RGB")
             for i in (1, 2, 3)]
    path = tmp_path / "bang-tot-nghiep.pdf"
    pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=60)
    return str(path)


def _set_date(browser, testid: str, day) -> None:
    element = field(browser, testid)
    browser.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
        "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", element, day.isoformat())


def _body(browser) -> str:
    return browser.find_element(By.TAG_NAME, "body").text


def test_one_dossier_through_every_role(journey_server, browser, smtp_inbox, tmp_path):
    server, (inbox, _) = journey_server, smtp_inbox
    set_viewport(browser, 768, 1024)
    visit_day = OfficeCalendar().next_working_day(datetime.now(LOCAL_TZ).date())

    # Step 1 — the citizen books a visit
    login(browser, server.url, "001099012345")
    browser.get(server.url + "/my/appointments")
    wait_for(browser, '[data-testid="appt-book"]')
    _set_date(browser, "appt-day", visit_day)
    time.sleep(1)
    click(browser, "appt-book")
    wait_for_text(browser, "Đã đặt lịch hẹn")
    screenshot(browser, "journey-1-appointment-768x1024")
    assert not has_horizontal_scroll(browser)

    # Step 2 — the certifying official receives it, enters the original, uploads the scan
    login(browser, server.url, "chungthuc")
    browser.get(server.url + "/office/appointments")
    _set_date(browser, "office-day", visit_day)
    receive = wait_for(browser, '[data-testid^="receive-"]')
    receive.click()
    wait_for(browser, '[data-testid="dossier-state"]')
    assert "Nguyễn Văn An" in _body(browser)
    field(browser, "orig-title-new").send_keys("Bằng tốt nghiệp trung học phổ thông")
    field(browser, "orig-issuer-new").send_keys("Sở Giáo dục và Đào tạo Hà Nội")
    for code in ("not_altered", "legible", "not_secret", "lawful_content"):
        click(browser, f"check-{code}-new")
    click(browser, "orig-save-new")
    wait_for_text(browser, "Bản chính 1: Bằng tốt nghiệp")
    upload = browser.find_element(By.CSS_SELECTOR, '[data-testid="scan-upload-1"] input[type=file]')
    upload.send_keys(_three_page_pdf(tmp_path))
    wait_for_text(browser, "Bản scan: 3 trang", timeout=30)
    screenshot(browser, "journey-2-intake-768x1024")
    dossier_url = browser.current_url

    # Fee at the one-stop desk: 3 pages = 5,000 đồng
    login(browser, server.url, "motcua")
    browser.get(server.url + "/fees")
    wait_for_text(browser, "Nguyễn Văn An")
    wait_for(
        browser,
        '[data-testid^="pay-"]:not([data-testid^="pay-amount"]):not([data-testid^="pay-method"])'
        ':not([data-testid^="pay-receipt"]):not([data-testid^="pay-save"])',
    ).click()
    field(browser, "pay-receipt").send_keys("BL-0001")
    click(browser, "pay-save")
    wait_for_text(browser, "BL-0001")
    screenshot(browser, "journey-3-fee-768x1024")

    # The official submits to the leader
    login(browser, server.url, "chungthuc")
    browser.get(dossier_url)
    click(browser, "submit")
    wait_for_text(browser, "Chờ lãnh đạo ký")

    # Step 3 — the leader signs
    login(browser, server.url, "lanhdao")
    browser.get(server.url + "/queue/sign")
    wait_for(browser, '[data-testid^="open-"]').click()
    click(browser, "do-action")
    wait_for_text(browser, "Đã ký số hồ sơ", timeout=60)
    screenshot(browser, "journey-4-signed-768x1024")

    # Step 4 — the seal keeper seals; the register gives number 1
    login(browser, server.url, "vanthu")
    browser.get(server.url + "/queue/seal")
    wait_for(browser, '[data-testid^="open-"]').click()
    click(browser, "do-action")
    wait_for_text(browser, "Đã đóng dấu, cấp số 1/ĐT", timeout=60)  # the result, not the step line
    screenshot(browser, "journey-5-sealed-768x1024")

    # Delivery — the citizen downloads the copy
    login(browser, server.url, "001099012345")
    browser.get(server.url + "/my/copies")
    for old in browser.download_dir.glob("*.pdf"):
        old.unlink()
    wait_for(browser, '[data-testid^="download-"]').click()
    deadline = time.time() + budget(30)
    while time.time() < deadline and not list(browser.download_dir.glob("*.pdf")):
        time.sleep(0.3)
    screenshot(browser, "journey-6-my-copies-768x1024")
    downloaded = next(browser.download_dir.glob("*.pdf"))
    env = {**os.environ, "DATA_DIR": str(server.data_dir), "DEMO": "1", "DATABASE_URL": server.database_url}
    out = subprocess.run([sys.executable, "main.py", "verify", str(downloaded), "--json"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    report = json.loads(out.stdout)
    assert out.returncode == 0 and report["valid"] is True, out.stdout + out.stderr
    assert report["certification_number"] == "1/ĐT"
    assert {s["role"] for s in report["signatures"]} == {"leader", "office"}

    # …and the e-mail with the PDF arrives (the delivery loop runs after the seal)
    deadline = time.time() + budget(60)
    while time.time() < deadline and not inbox.messages:
        time.sleep(0.5)
    assert inbox.messages, "no e-mail reached the SMTP server"
    message = inbox.messages[0]
    assert message["To"] == "nguyenvanan@demo.invalid"
    attachments = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
    assert attachments and attachments[0].get_payload(decode=True) == downloaded.read_bytes()
