"""The one-stop desk in a real browser at 768×1024 (SPEC A6–A13): motcua looks up a number, uploads a
generated ID scan, checks the pre-filled fields, downloads the request form, sends the OTP, creates the
account; the new citizen signs in with the SMS password and must change it."""
import time

from selenium.webdriver.common.by import By
from sqlmodel import select

from domain.models import Account, SmsMessage
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
from tests.support.cards import make_id_scan_pdf, random_person
from tests.support.sms import sms_text
from tests.support.waits import budget


def latest_sms(server, purpose: str) -> SmsMessage:
    with server.db() as session:
        return session.exec(select(SmsMessage).where(SmsMessage.purpose == purpose)
                            .order_by(SmsMessage.id.desc())).first()


def form_value(browser, name: str) -> str:
    root = wait_for(browser, f'[data-field="{name}"]')
    element = root if root.tag_name == "input" else root.find_element(By.CSS_SELECTOR, "input")
    return element.get_attribute("value")


def wait_for_download(folder, pattern: str, timeout: float = 20):
    deadline = time.time() + budget(timeout)
    while time.time() < deadline:
        done = [p for p in folder.glob(pattern) if not p.name.endswith(".crdownload")]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no download matching {pattern}")


def test_whole_desk_journey_then_the_citizen_changes_the_password(live_server, browser, tmp_path):
    person = random_person(7)
    scan = tmp_path / "cccd-hai-mat.pdf"
    scan.write_bytes(make_id_scan_pdf(person))
    base = live_server.url
    set_viewport(browser, 768, 1024)
    login(browser, base, "motcua")

    browser.get(base + "/citizen-accounts")
    wait_for_text(browser, "Bạn chưa tạo tài khoản công dân nào")
    click(browser, "add-new")
    field(browser, "lookup-id").send_keys(person["id_number"])
    click(browser, "lookup")
    wait_for_text(browser, "chưa có tài khoản")

    file_input = browser.find_element(By.CSS_SELECTOR, '[data-testid="scan-upload"] input[type="file"]')
    file_input.send_keys(str(scan))
    wait_for_text(browser, "Hãy đối chiếu từng trường", timeout=90)
    assert form_value(browser, "full_name") == "Hoàng Kim Hà"
    assert form_value(browser, "id_number") == person["id_number"]
    assert form_value(browser, "date_of_birth") == person["date_of_birth"].strftime("%d/%m/%Y")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "QR" in body  # the source badges beside the fields
    assert not has_horizontal_scroll(browser)
    screenshot(browser, "citizen-desk-prefilled-768x1024")

    field(browser, "phone").send_keys("0934 567 890")
    field(browser, "email").send_keys("hoangkimha@example.vn")
    click(browser, "download-form")
    pdf = wait_for_download(browser.download_dir, f"giay-de-nghi-tao-tai-khoan-{person['id_number']}*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")

    click(browser, "send-otp")
    wait_for_text(browser, "Đã gửi mã OTP tới số")
    sms = latest_sms(live_server, "otp_create_account")
    assert sms.phone == "0934567890" and sms.status == "sent"
    text = sms_text(sms, live_server.data_dir)
    code = next(w for w in text.replace(".", " ").split() if len(w) == 6 and w.isdigit())
    field(browser, "otp").send_keys(code)
    screenshot(browser, "citizen-desk-otp-768x1024")
    click(browser, "create-account")
    wait_for_text(browser, f"Tên đăng nhập: {person['id_number']}")
    assert not has_horizontal_scroll(browser)
    screenshot(browser, "citizen-desk-created-768x1024")
    with live_server.db() as session:
        account = session.exec(select(Account).where(Account.username == person["id_number"])).one()
        assert account.kind == "citizen" and account.must_change_password and account.id_scan_sha256

    password_sms = latest_sms(live_server, "temp_password")
    password = sms_text(password_sms, live_server.data_dir).split("Mat khau tam thoi: ")[1].split()[0]
    login(browser, base, "0934567890", password)
    wait_for_text(browser, "Bạn đang dùng mật khẩu do hệ thống cấp")
    field(browser, "old").send_keys(password)
    field(browser, "new").send_keys("Hoang-Kim-Ha-2025")
    field(browser, "again").send_keys("Hoang-Kim-Ha-2025")
    click(browser, "save-password")
    wait_for_text(browser, "Thông tin tài khoản")
    wait_for_text(browser, "Hoàng Kim Hà")
    screenshot(browser, "citizen-desk-citizen-home-768x1024")
