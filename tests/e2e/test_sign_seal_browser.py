"""The leader signs, the seal keeper seals, the citizen sees the copy, anyone verifies it — in Chromium
at tablet size, with screenshots in tests/artifacts/."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import (
    click,
    has_horizontal_scroll,
    login,
    screenshot,
    set_viewport,
    wait_for,
    wait_for_text,
)


@pytest.fixture
def on_live_db(live_server, monkeypatch):
    """Point this process's settings at the live server's data, to prepare dossiers with the use cases."""
    from app.db import dispose_engine
    from app.settings import reload_settings

    monkeypatch.setenv("DATA_DIR", str(live_server.data_dir))
    monkeypatch.setenv("BASE_URL", live_server.url)
    dispose_engine()
    reload_settings()
    yield live_server
    dispose_engine()


def test_sign_seal_deliver_verify_in_a_browser(on_live_db, browser):
    from sqlmodel import select

    from domain.models import RegisterEntry
    from tests.support.workflow import signed_dossier_ready

    server = on_live_db
    first = signed_dossier_ready(pages=2, title="Giấy khai sinh")
    signed_dossier_ready(pages=1, title="Bằng tốt nghiệp")
    set_viewport(browser, 768, 1024)

    login(browser, server.url, "lanhdao")
    browser.get(server.url + "/queue/sign")
    wait_for(browser, f'[data-testid="open-{first}"]')
    assert not has_horizontal_scroll(browser)
    screenshot(browser, "queue-sign-768x1024")
    click(browser, f"open-{first}")
    wait_for(browser, "img[src^='data:image/jpeg']")
    assert not has_horizontal_scroll(browser)
    screenshot(browser, "queue-sign-detail-768x1024")
    click(browser, "do-action")
    wait_for_text(browser, "Đã ký số hồ sơ", timeout=60)
    screenshot(browser, "queue-sign-signed-768x1024")

    login(browser, server.url, "vanthu")
    browser.get(server.url + "/queue/seal")
    click(browser, f"select-{first}")
    click(browser, "batch-action")
    wait_for_text(browser, "Đã đóng dấu, cấp số", timeout=60)
    screenshot(browser, "queue-seal-done-768x1024")

    login(browser, server.url, "001099012345")
    browser.get(server.url + "/my/copies")
    wait_for(browser, "[data-testid^=download-]")
    assert not has_horizontal_scroll(browser)
    screenshot(browser, "my-copies-768x1024")

    with server.db() as session:
        entry = session.exec(select(RegisterEntry)).one()
    browser.delete_all_cookies()
    browser.get(f"{server.url}/verify/{entry.verify_code}")
    wait_for(browser, '[data-testid="status-valid"]', timeout=30)
    body = browser.find_element("tag name", "body").text
    assert "Nguyễn V. A." in body and "001099012345" not in body
    assert not has_horizontal_scroll(browser)
    screenshot(browser, "verify-valid-768x1024")
    set_viewport(browser, 1024, 768)
    login(browser, server.url, "lanhdao")
    browser.get(f"{server.url}/handled/{first}")
    wait_for_text(browser, "Bản sao điện tử đã cấp")
    screenshot(browser, "handled-issued-1024x768")
