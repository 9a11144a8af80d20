"""ID-card pre-fill in a real browser: one tilted photo holding both sides of the card."""
from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlmodel import select

from tests.e2e.conftest import click, field, login, screenshot, set_viewport, wait_for, wait_for_text
from tests.support.card_captures import make_capture
from tests.support.cards import random_person


def _badge(browser, attr: str, name: str) -> str:
    return browser.find_element(By.CSS_SELECTOR, f"[data-{attr}={name}]").text


def test_tilted_photo_of_both_sides_fills_confirms_and_copies_into_the_dossier(
    live_server, browser, tmp_path
):
    from domain.models import Dossier

    person = random_person(7301)
    (name, blob), = make_capture(person, "2021", "side_by_side", seed=7301)
    photo = tmp_path / name
    photo.write_bytes(blob)
    set_viewport(browser, 768, 1024)
    login(browser, live_server.url, "chungthuc")
    browser.get(live_server.url + "/intake/new")
    click(browser, "id-prefill")
    upload = WebDriverWait(browser, 15).until(  # the form is built when the expansion is first opened
        lambda d: d.find_element(By.CSS_SELECTOR, '[data-testid="id-prefill"] input[type=file]'))
    upload.send_keys(str(photo))
    WebDriverWait(browser, 90).until(
        lambda d: field_value(d, "id_number") == person["id_number"])
    assert _badge(browser, "source", "id_number") == "QR"
    assert _badge(browser, "source", "place_of_origin") == "OCR"
    assert _badge(browser, "check", "place_of_origin") == "cần kiểm tra"
    assert _badge(browser, "confidence", "id_number") == "Tin cậy: cao"  # the QR, error-corrected
    assert _badge(browser, "confidence", "place_of_origin") == "Tin cậy: trung bình"  # the print alone
    assert field_value(browser, "place_of_origin") == person["place_of_origin"]
    wait_for_text(browser, "Mã tỉnh nơi đăng ký khai sinh")
    screenshot(browser, "idcard_prefill_768")

    click(browser, "id-copy")  # nothing confirmed yet: nothing is copied
    wait_for_text(browser, "Chưa chép các trường chưa xác nhận")
    assert field(browser, "req-name").get_attribute("value") == ""
    click(browser, "id-confirm-all")
    browser.find_element(By.CSS_SELECTOR, "[data-confirm=place_of_origin]").click()
    # the earlier notice may still cover the button: click it as a script would
    browser.execute_script("arguments[0].click()", wait_for(browser, '[data-testid="id-copy"]'))
    full_name = " ".join(w.capitalize() for w in person["full_name"].split())
    WebDriverWait(browser, 10).until(lambda d: field(d, "req-name").get_attribute("value") == full_name)
    assert field(browser, "req-id").get_attribute("value") == person["id_number"]
    assert field(browser, "req-dob").get_attribute("value") == person["date_of_birth"].strftime("%d/%m/%Y")
    field(browser, "req-phone").send_keys("0988123457")
    click(browser, "req-open")
    wait_for(browser, '[data-testid="dossier-state"]')
    wait_for_text(browser, full_name)
    with live_server.db() as session:
        dossier = session.exec(
            select(Dossier).where(Dossier.requester_id_number == person["id_number"])
        ).one()
    assert dossier.requester_name == full_name
    assert dossier.requester_address == person["place_of_residence"]


def field_value(browser, name: str) -> str | None:
    elements = browser.find_elements(
        By.CSS_SELECTOR, f'input[data-field="{name}"], [data-field="{name}"] input'
    )
    return elements[0].get_attribute("value") if elements else None
