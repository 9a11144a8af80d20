"""The one-stop desk pages (SPEC A6–A13), forgot password and the SMS outbox, through the User fixture."""
import io

from nicegui import ui
from nicegui.testing import User
from PIL import Image
from sqlmodel import select

from app.db import session_scope, write_scope
from domain.models import Account, SmsMessage, Unit
from tests.support.cards import make_id_scan_pdf, random_person
from tests.support.http_upload import post_files
from tests.support.sms import sms_text
from tests.ui.test_sign_in_pages import sign_in

NEW_ID = "001201004321"


def latest_sms(purpose: str) -> SmsMessage:
    with session_scope() as session:
        return session.exec(select(SmsMessage).where(SmsMessage.purpose == purpose)
                            .order_by(SmsMessage.id.desc())).first()


def code_in(message: SmsMessage) -> str:
    return next(w for w in sms_text(message).replace(".", " ").split() if len(w) == 6 and w.isdigit())


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buf, "PNG")
    return buf.getvalue()


async def upload(user: User, name: str, data: bytes) -> None:
    element = user.find(marker="scan-upload").elements.pop()
    response = await post_files(
        user, element, [(name, "application/octet-stream", data)]
    )  # the real endpoint
    assert response.status_code == 200


def field(user: User, label: str):
    return user.find(kind=ui.input, content=label)


async def look_up(user: User, id_number: str) -> None:
    await user.open("/citizen-accounts/new")
    user.find(marker="lookup-id").type(id_number)
    user.find(marker="lookup").click()


async def test_list_shows_only_for_the_right_and_starts_empty(user: User):
    await sign_in(user, "motcua")
    await user.open("/citizen-accounts")
    await user.should_see("Bạn chưa tạo tài khoản công dân nào")
    await user.should_see("Thêm mới")


async def test_official_without_the_right_is_refused_on_every_desk_page(user: User):
    await sign_in(user, "chungthuc")
    for path in ("/citizen-accounts", "/citizen-accounts/new", "/admin/sms"):
        await user.open(path)
        await user.should_see(marker="access-denied")


async def test_existing_id_number_stops_the_desk(user: User):
    await sign_in(user, "motcua")
    await look_up(user, "001099012345")
    await user.should_see("đã có tài khoản trên hệ thống", retries=100)
    await user.should_not_see(marker="send-otp")


async def test_nine_digit_cmnd_is_refused_as_the_lookup_number(user: User):
    await sign_in(user, "motcua")
    await look_up(user, "012345678")
    await user.should_see("chỉ nhập ở ô «Số CMND cũ»", retries=100)


async def test_bad_scans_are_refused_with_a_reason(user: User):
    await sign_in(user, "motcua")
    await look_up(user, NEW_ID)
    await user.should_see("chưa có tài khoản", retries=100)
    await upload(user, "cccd.pdf", png())
    await user.should_see("nội dung thật là ảnh PNG", retries=100)
    await upload(user, "cccd.pdf", b"")
    await user.should_see("rỗng", retries=100)
    await upload(user, "cccd.pdf", b"%PDF-1.4\n" + b"x" * (5 * 1024 * 1024 + 10))
    await user.should_see("vượt quá giới hạn 5 MB", retries=100)


async def test_whole_desk_journey_with_a_doc_scan_typed_by_hand(user: User):
    await sign_in(user, "motcua")
    await look_up(user, NEW_ID)
    await user.should_see("chưa có tài khoản", retries=100)
    await upload(user, "cccd.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)
    await user.should_see("Đã lưu bản chụp «cccd.doc»", retries=100)
    field(user, "Họ và tên").type("Trần Thị Bình")
    field(user, "Ngày sinh").type("05/04/2001")
    user.find(marker="phone").type("0934 567 890")
    user.find(marker="email").type("binh@example.vn")
    user.find(marker="download-form").click()
    response = await user.download.next(timeout=10)
    assert response.content.startswith(b"%PDF")
    user.find(marker="send-otp").click()
    await user.should_see("Đã gửi mã OTP tới số", retries=100)
    await user.should_see("Gửi lại mã OTP sau")
    sms = latest_sms("otp_create_account")
    assert sms.status == "sent" and sms.phone == "0934567890"
    user.find(marker="otp").type(code_in(sms))
    user.find(marker="create-account").click()
    await user.should_see(f"Tên đăng nhập: {NEW_ID}", retries=100)
    await user.should_see("Quên mật khẩu")  # the A13 help beside the result
    with session_scope() as session:
        account = session.exec(select(Account).where(Account.username == NEW_ID)).one()
    assert account.must_change_password and account.id_scan_sha256
    await user.open("/citizen-accounts")
    await user.should_see("1 tài khoản")
    rows = user.find(marker="accounts-table").elements.pop().rows
    assert [(r["full_name"], r["id_number"]) for r in rows] == [("Trần Thị Bình", NEW_ID)]


async def test_wrong_otp_is_refused_and_counted(user: User):
    await sign_in(user, "motcua")
    await look_up(user, NEW_ID)
    await user.should_see("chưa có tài khoản", retries=100)
    await upload(user, "cccd.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)
    await user.should_see("Đã lưu bản chụp «cccd.doc»", retries=100)
    field(user, "Họ và tên").type("Trần Thị Bình")
    field(user, "Ngày sinh").type("05/04/2001")
    user.find(marker="phone").type("0934567890")
    user.find(marker="send-otp").click()
    await user.should_see("Đã gửi mã OTP tới số", retries=100)
    wrong = "000000" if code_in(latest_sms("otp_create_account")) != "000000" else "111111"
    user.find(marker="otp").type(wrong)
    user.find(marker="create-account").click()
    await user.should_see("Còn 4 lần thử", retries=100)


async def test_missing_fields_are_listed(user: User):
    await sign_in(user, "motcua")
    await look_up(user, NEW_ID)
    await user.should_see("chưa có tài khoản", retries=100)
    user.find(marker="send-otp").click()
    await user.should_see("Vui lòng nhập họ và tên.", retries=100)
    await user.should_see("Vui lòng tải lên bản chụp")


async def test_scan_is_read_and_fills_the_form(user: User):
    person = random_person(7)
    await sign_in(user, "motcua")
    await look_up(user, person["id_number"])
    await user.should_see("chưa có tài khoản", retries=100)
    await upload(user, "cccd.pdf", make_id_scan_pdf(person))
    await user.should_see("Hãy đối chiếu từng trường", retries=600)
    assert field(user, "Họ và tên").elements.pop().value == "Hoàng Kim Hà"
    await user.should_see("QR")


async def test_official_outside_a_one_stop_section_sees_the_a13_explanation(user: User):
    with write_scope() as session:
        motcua = session.exec(select(Account).where(Account.username == "motcua")).one()
        motcua.unit_id = session.exec(select(Unit).where(Unit.code == "HK-VP")).one().id
        session.commit()
    await sign_in(user, "motcua")
    await look_up(user, NEW_ID)
    await user.should_see("chưa được gán vào đơn vị Bộ phận Một cửa", retries=100)
    await user.should_see("liên hệ quản trị hệ thống")


async def test_forgot_password_sets_a_new_password(user: User):
    await user.open("/forgot-password")
    user.find(marker="fp-id").type("001099012345")
    user.find(marker="fp-phone").type("0987654321")
    user.find(marker="fp-send").click()
    await user.should_see("Nếu thông tin đúng, mã OTP đã được gửi", retries=100)
    user.find(marker="fp-code").type(code_in(latest_sms("otp_reset_password")))
    user.find(marker="fp-new").type("Mat-khau-moi-9")
    user.find(marker="fp-again").type("Mat-khau-moi-9")
    user.find(marker="fp-save").click()
    await user.should_see("Đã đặt mật khẩu mới", retries=100)
    await sign_in(user, "0987654321", "Mat-khau-moi-9")
    await user.should_see(marker="user-name", retries=100)


async def test_forgot_password_says_the_same_for_unknown_data(user: User):
    await user.open("/forgot-password")
    user.find(marker="fp-id").type("001099999999")
    user.find(marker="fp-phone").type("0911222333")
    user.find(marker="fp-send").click()
    await user.should_see("Nếu thông tin đúng, mã OTP đã được gửi", retries=100)
    assert latest_sms("otp_reset_password") is None


async def test_admin_reads_the_sms_outbox(user: User):
    await user.open("/forgot-password")
    user.find(marker="fp-id").type("001099012345")
    user.find(marker="fp-phone").type("0987654321")
    user.find(marker="fp-send").click()
    await user.should_see("Nếu thông tin đúng", retries=100)
    code = code_in(latest_sms("otp_reset_password"))
    await sign_in(user, "admin")
    await user.open("/admin/sms")
    await user.should_see("Hộp thư SMS (demo)")
    table = user.find(marker="sms-table").elements.pop()
    assert any(code in row["body"] for row in table.rows)  # demo mode shows the body


async def test_citizen_updates_own_email(user: User):
    await sign_in(user, "001099012345")
    await user.should_see("Cập nhật thư điện tử")
    user.find(marker="my-email").clear().type("khong-hop-le")
    user.find(marker="save-email").click()
    await user.should_see("không hợp lệ")
    user.find(marker="my-email").clear().type("an.nguyen@example.vn")
    user.find(marker="save-email").click()
    await user.should_see("Đã lưu thư điện tử.")
    with session_scope() as session:
        account = session.exec(select(Account).where(Account.username == "001099012345")).one()
    assert account.email == "an.nguyen@example.vn"
