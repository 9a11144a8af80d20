"""Steps 1–2 through the pages (NiceGUI User fixture): appointments, intake, scans, fee, submit, refusal."""
from __future__ import annotations

import io
from datetime import datetime, timedelta

from nicegui import ui
from nicegui.testing import User
from pypdf import PdfReader, PdfWriter
from sqlmodel import func, select

from app import files
from app.db import session_scope, write_scope
from domain import appointments as appts
from domain import dossiers, workflow
from domain.calendar import LOCAL_TZ
from domain.clock import FixedClock, to_local, use_clock, utcnow
from domain.models import (
    Account,
    Appointment,
    Dossier,
    EmailMessage,
    Office,
    RightGrant,
    ScanPage,
    SmsMessage,
    StoredFile,
    Unit,
)
from domain.offices import calendar_for
from domain.text import fold
from tests.support.http_upload import post_files
from tests.support.workflow import scan_page_jpeg, user_named
from tests.ui.test_sign_in_pages import sign_in

CHECKS = ["not_altered", "legible", "not_secret", "lawful_content"]


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())  # lines wrap anywhere


def three_page_pdf() -> bytes:
    from PIL import Image

    images = [Image.open(io.BytesIO(scan_page_jpeg(f"Trang {i}", dpi=60))).convert("RGB") for i in (1, 2, 3)]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=60)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(three_page_pdf()))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


async def upload(user: User, marker: str, name: str, data: bytes, mime: str = "application/pdf") -> None:
    element = user.find(marker=marker).elements.pop()
    assert isinstance(element, ui.upload)
    response = await post_files(user, element, [(name, mime, data)])  # the real endpoint, as a browser posts
    assert response.status_code == 200


def open_draft(pages: int = 0, checks=CHECKS, email: str | None = "an@example.test", received_at=None) -> int:
    """A dossier at intake with one original (and `pages` scanned pages) through the use cases."""
    clerk = user_named("chungthuc")
    with write_scope() as session:
        dossier = dossiers.open_dossier(session, clerk, dossiers.RequesterData(
            name="Nguyễn Văn An", id_number="001099012345", phone="0987654321", email=email),
            received_at=received_at)
    with write_scope() as session:
        original = dossiers.save_original(session, clerk, dossier.id, dossiers.OriginalData(
            title="Giấy khai sinh", issuer="UBND phường Hoàn Kiếm", pages=max(1, pages), checks=list(checks)))
    for i in range(pages):
        with write_scope() as session:
            sha = files.store_bytes(scan_page_jpeg(f"trang {i + 1}", dpi=60), "image/jpeg", session)
            session.commit()
        with write_scope() as session:
            dossiers.add_scan_pages(session, clerk, original.id, sha, 1)
    return dossier.id


def next_working_day():
    with session_scope() as session:
        office = session.exec(select(Office)).first()
        return calendar_for(session, office).next_working_day(to_local(utcnow()).date())


async def test_walk_in_intake_typed(user: User):
    # Monday 4 March 2030, 09:00: a complex request's intake step (16 working hours) is due Wednesday 09:00
    clock = FixedClock(datetime(2030, 3, 4, 9, 0, tzinfo=LOCAL_TZ))
    use_clock(clock)
    await sign_in(user, "chungthuc")
    await user.open("/intake/new")
    user.find(marker="req-name").type("Trần Thị Bình")
    user.find(marker="req-id").type("001180000999")
    user.find(marker="req-phone").type("0988 123 456")
    user.find(marker="req-complex").click()
    user.find(marker="req-open").click()
    await user.should_see(marker="dossier-state", retries=100)
    await user.should_see("Đang tiếp nhận")
    await user.should_see("Trần Thị Bình (Cá nhân)")
    with session_scope() as session:
        dossier = session.exec(select(Dossier)).one()
    assert dossier.complex and dossier.requester_phone == "0988123456" and dossier.citizen_id is None
    await user.open("/intake")
    await user.should_see(dossier.code)
    await user.should_see("Trong hạn")
    await user.should_not_see("Quá hạn")
    clock.set(datetime(2030, 3, 6, 9, 1, tzinfo=LOCAL_TZ))  # Wednesday 09:01: both deadlines have passed
    await sign_in(user, "chungthuc")  # the session of Monday has expired
    await user.open("/intake")
    await user.should_see(dossier.code)
    await user.should_see("Quá hạn")
    await user.should_not_see("Trong hạn")


async def test_typed_intake_with_a_bad_id_number_is_refused(user: User):
    await sign_in(user, "chungthuc")
    await user.open("/intake/new")
    user.find(marker="req-name").type("Trần Thị Bình")
    user.find(marker="req-id").type("12345")
    user.find(marker="req-open").click()
    await user.should_see("Số giấy tờ tùy thân phải gồm 12 chữ số", retries=50)
    with session_scope() as session:
        assert session.exec(select(func.count()).select_from(Dossier)).one() == 0


async def test_citizen_signs_in_on_the_tablet_to_fill_the_form(user: User):
    await sign_in(user, "chungthuc")
    await user.open("/intake/new")
    user.find(marker="tablet-login").click()
    user.find(marker="tablet-user").type("0987654321")
    user.find(marker="tablet-password").type("sai")
    user.find(marker="tablet-ok").click()
    await user.should_see("Tên đăng nhập hoặc mật khẩu không đúng.", retries=100)
    user.find(marker="tablet-password").type("demo1234")
    user.find(marker="tablet-ok").click()
    await user.should_see("Đã xác thực tài khoản công dân: Nguyễn Văn An", retries=100)
    user.find(marker="req-open").click()
    await user.should_see(marker="dossier-state", retries=100)
    await user.should_see("Trần Văn Chứng")  # the official is still the one signed in
    with session_scope() as session:
        dossier = session.exec(select(Dossier)).one()
        citizen = session.exec(select(Account).where(Account.username == "001099012345")).one()
    assert dossier.citizen_id == citizen.id and dossier.requester_id_number == "001099012345"


async def test_citizen_books_and_the_official_receives_from_the_appointment(user: User):
    day = next_working_day()
    await sign_in(user, "001099012345")
    await user.open("/my/appointments")
    user.find(marker="appt-day").clear().type(day.isoformat())
    await user.should_see("08:00 (còn 4 chỗ)", retries=50)
    user.find(marker="appt-note").type("Bằng tốt nghiệp")
    user.find(marker="appt-book").click()
    await user.should_see("Đã đặt lịch hẹn", retries=50)
    with session_scope() as session:
        appointment = session.exec(select(Appointment)).one()
    assert appointment.day == day and appointment.note == "Bằng tốt nghiệp"
    await user.open("/logout")
    await sign_in(user, "chungthuc")
    await user.open("/office/appointments")
    user.find(marker="office-day").clear().type(day.isoformat())
    await user.should_see("Nguyễn Văn An", retries=50)
    user.find(marker=f"receive-{appointment.id}").click()
    await user.should_see(marker="dossier-state", retries=100)
    await user.should_see("Nguyễn Văn An (Cá nhân)")
    with session_scope() as session:
        dossier = session.exec(select(Dossier)).one()
        assert dossier.appointment_id == appointment.id and dossier.citizen_id == appointment.citizen_id
        assert session.get(Appointment, appointment.id).status == appts.DONE


async def test_upload_a_three_page_pdf_then_rotate_and_delete_a_page(user: User):
    dossier_id = open_draft()
    await sign_in(user, "chungthuc")
    await user.open(f"/dossier/{dossier_id}")
    await user.should_see("Bản scan: 0 trang")
    await upload(user, "scan-upload-1", "khai-sinh.pdf", three_page_pdf())
    await user.should_see("Bản scan: 3 trang", retries=100)
    await user.should_see("Phí: 5.000 đ")  # the original's page count follows the scan: 2×2.000 + 1.000
    user.find(marker="scan-rotate-1-1").click()
    await user.should_see("Trang 1 · xoay 90°", retries=100)
    user.find(marker="scan-delete-1-2").click()
    await user.should_see("Bản scan: 2 trang", retries=100)
    with session_scope() as session:
        pages = session.exec(select(ScanPage).order_by(ScanPage.position)).all()
    assert [(p.page_index, p.rotation) for p in pages] == [(0, 90), (2, 0)]


async def test_bad_uploads_are_refused_with_a_message_and_store_nothing(user: User):
    dossier_id = open_draft()
    with session_scope() as session:
        files_before = session.exec(select(func.count()).select_from(StoredFile)).one()
    await sign_in(user, "chungthuc")
    await user.open(f"/dossier/{dossier_id}")
    png = io.BytesIO()
    from PIL import Image
    Image.new("RGB", (20, 20), "white").save(png, "PNG")
    for name, data, message in [("anh.pdf", png.getvalue(), "nhưng nội dung thật là ảnh PNG"),
                                ("rong.pdf", b"", "rỗng (0 byte)"),
                                ("mat-khau.pdf", encrypted_pdf(), "được đặt mật khẩu")]:
        await upload(user, "scan-upload-1", name, data)
        await user.should_see(message, retries=100)
    with session_scope() as session:
        assert session.exec(select(func.count()).select_from(ScanPage)).one() == 0
        assert session.exec(select(func.count()).select_from(StoredFile)).one() == files_before


async def test_submit_is_blocked_before_the_fee_then_succeeds_after_payment(user: User):
    dossier_id = open_draft(pages=3)
    await sign_in(user, "chungthuc")
    await user.open(f"/dossier/{dossier_id}")
    user.find(marker="submit").click()
    await user.should_see("Hồ sơ chưa nộp phí chứng thực.", retries=100)
    await user.open("/logout")
    await sign_in(user, "motcua")
    await user.open("/")
    await user.should_see("1 hồ sơ chờ nộp phí")
    await user.open("/fees")
    user.find(marker=f"pay-{dossier_id}").click()
    user.find(marker="pay-receipt").type("BL-0001")
    user.find(marker="pay-save").click()
    response = await user.download.next(timeout=10)
    text = pdf_text(response.content)
    assert "BIÊN LAI THU PHÍ CHỨNG THỰC" in text and "BL-0001" in text and "5.000 đồng" in text
    assert "Năm nghìn đồng" in text
    await user.should_see("0 hồ sơ chờ nộp phí", retries=50)
    await user.open("/logout")
    await sign_in(user, "chungthuc")
    await user.open(f"/dossier/{dossier_id}")
    await user.should_see("Biên lai BL-0001")
    user.find(marker="submit").click()
    await user.should_see("Chờ lãnh đạo ký", retries=100)
    with session_scope() as session:
        assert session.get(Dossier, dossier_id).state == workflow.SUBMITTED


async def test_refusal_makes_the_written_notice_and_ends_the_dossier(user: User):
    dossier_id = open_draft(pages=1)
    await sign_in(user, "chungthuc")
    await user.open(f"/dossier/{dossier_id}")
    user.find(marker="refuse").click()
    user.find(marker="ground-erased_or_altered").click()
    user.find(marker="refusal-note").type("Ngày cấp trên bản chính bị sửa bằng bút bi.")
    user.find(marker="refusal-confirm").click()
    await user.should_see("Từ chối chứng thực", retries=100)
    await user.should_see(marker="refusal-notice", retries=100)
    with session_scope() as session:
        dossier = session.get(Dossier, dossier_id)
        mail = session.exec(select(EmailMessage).where(EmailMessage.dossier_id == dossier_id)).one()
        sms = session.exec(select(SmsMessage).where(SmsMessage.purpose == "refusal_notice")).one()
    assert dossier.state == workflow.REFUSED and dossier.refusal_grounds == ["erased_or_altered"]
    assert mail.attachment_sha256 == dossier.refusal_notice_sha256 and mail.to_addr == "an@example.test"
    assert sms.phone == "0987654321"
    text = pdf_text(files.read_bytes(dossier.refusal_notice_sha256))
    for expected in ("THÔNG BÁO", "từ chối chứng thực", "khoản 1 Điều 22 Nghị định số 23/2015/NĐ-CP",
                     "Ngày cấp trên bản chính bị sửa bằng bút bi.", "Nguyễn Văn An", "Trần Văn Chứng"):
        assert expected in text, expected
    user.find(marker="refusal-notice").click()
    response = await user.download.next(timeout=10)
    assert response.content == files.read_bytes(dossier.refusal_notice_sha256)


async def test_foreign_original_not_legalised_is_told_to_be_refused(user: User):
    dossier_id = open_draft()
    await sign_in(user, "chungthuc")
    await user.open(f"/dossier/{dossier_id}")
    user.find(marker="orig-origin-1").click()
    user.find("Do cơ quan, tổ chức có thẩm quyền của nước ngoài cấp, công chứng hoặc chứng nhận").click()
    user.find(marker="orig-legal-1").click()
    user.find("Chưa được hợp pháp hóa lãnh sự").click()
    await user.should_see("không được chứng thực (khoản 5 Điều 22", retries=50)
    user.find(marker="orig-refuse-1").click()
    await user.should_see("Lập thông báo và từ chối", retries=50)


def test_intake_after_three_pm_gets_an_appointment_slip(demo_db):
    from app.intake.dossier_service import slip_bytes, slip_needed

    with session_scope() as session:
        office = session.exec(select(Office)).first()
        calendar = calendar_for(session, office)
    day = calendar.next_working_day(datetime(2030, 3, 1).date())
    received = datetime.combine(day, datetime.min.time(), LOCAL_TZ).replace(hour=15, minute=30)
    dossier_id = open_draft(pages=1, received_at=received)
    with session_scope() as session:
        dossier = session.get(Dossier, dossier_id)
    assert slip_needed(dossier)
    due = to_local(dossier.due_at)
    assert due.date() == calendar.next_working_day(day) and due.hour == 17
    name, data = slip_bytes(user_named("chungthuc"), dossier_id)
    text = pdf_text(data)
    assert "PHIẾU HẸN TRẢ KẾT QUẢ" in text and dossier.code in text and "Giấy khai sinh" in text
    assert due.strftime("%H giờ %M, ngày %d/%m/%Y") in text
    morning = open_draft(pages=1, received_at=received.replace(hour=9))
    with session_scope() as session:
        assert not slip_needed(session.get(Dossier, morning))


async def test_slip_button_downloads_for_an_after_three_pm_dossier(user: User):
    received = datetime.combine(next_working_day() - timedelta(days=0), datetime.min.time(), LOCAL_TZ) \
        .replace(hour=16)
    dossier_id = open_draft(pages=1, received_at=received)
    await sign_in(user, "chungthuc")
    await user.open(f"/dossier/{dossier_id}")
    user.find(marker="slip").click()
    response = await user.download.next(timeout=10)
    assert "PHIẾU HẸN" in pdf_text(response.content)


async def test_official_of_another_office_cannot_open_the_dossier(user: User):
    from domain.security import hash_password

    dossier_id = open_draft()
    with write_scope() as session:
        unit = Unit(code="OTHER", name="UBND xã Khác", kind="office")
        session.add(unit)
        session.flush()
        office = Office(unit_id=unit.id, name="UBND xã Khác")
        session.add(office)
        session.flush()
        account = Account(
            kind="official",
            username="khac",
            full_name="Người Khác",
            name_folded=fold("Người Khác"),
            password_hash=hash_password("demo1234"),
            unit_id=unit.id,
            office_id=office.id,
        )
        session.add(account)
        session.flush()
        session.add(RightGrant(account_id=account.id, office_id=office.id, right="create_copy"))
        session.commit()
    await sign_in(user, "khac")
    await user.open(f"/dossier/{dossier_id}")
    await user.should_see(marker="access-denied")
    await user.should_not_see("Nguyễn Văn An")
    await user.open("/intake")
    await user.should_not_see("Nguyễn Văn An")


async def test_citizen_cannot_open_office_pages(user: User):
    dossier_id = open_draft()
    await sign_in(user, "001099012345")
    for path in (f"/dossier/{dossier_id}", "/intake", "/fees", "/office/appointments"):
        await user.open(path)
        await user.should_see(marker="access-denied")


async def test_organisation_requester_needs_a_representative(user: User):
    await sign_in(user, "chungthuc")
    await user.open("/intake/new")
    user.find(marker="req-kind").elements.pop().set_value("organisation")
    user.find(marker="req-name").type("Công ty TNHH Ánh Dương")
    user.find(marker="req-tax").type("0101234567")
    user.find(marker="req-open").click()
    await user.should_see("Vui lòng nhập người đại diện của tổ chức.", retries=50)
    user.find(marker="req-rep").type("Lê Văn Dũng")
    user.find(marker="req-open").click()
    await user.should_see("Công ty TNHH Ánh Dương (Tổ chức)", retries=100)
    with session_scope() as session:
        dossier = session.exec(select(Dossier)).one()
    assert (dossier.requester_kind, dossier.org_tax_code, dossier.org_representative) == \
        ("organisation", "0101234567", "Lê Văn Dũng")


async def test_extension_beyond_two_days_needs_a_written_agreement(user: User):
    dossier_id = open_draft(pages=1)
    with session_scope() as session:
        before = session.get(Dossier, dossier_id).due_at
    await sign_in(user, "chungthuc")
    await user.open(f"/dossier/{dossier_id}")
    user.find(marker="extend").click()
    user.find(marker="extend-days").elements.pop().set_value(3)
    user.find(marker="extend-reason").type("Nhiều trang, nội dung phức tạp")
    user.find(marker="extend-save").click()
    await user.should_see("cần có thỏa thuận bằng văn bản", retries=50)
    user.find(marker="extend-days").elements.pop().set_value(2)
    user.find(marker="extend-save").click()
    await user.should_see("Gia hạn:", retries=100)  # the summary row appears once the extension is saved
    await user.should_see(marker="slip")
    with session_scope() as session:
        dossier = session.get(Dossier, dossier_id)
    assert dossier.due_at > before and dossier.extension_reason == "Nhiều trang, nội dung phức tạp"
