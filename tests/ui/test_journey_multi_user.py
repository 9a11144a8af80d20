"""Several people at once on their own tablets (NiceGUI `create_user`): a walk-in whose data comes
from the ID card scan, a 3-page scan (both posted to the pages' real upload endpoints), the fee, the leader's
signature, the seal — and the copy verifies, reaches the register and queues the e-mail to the requester."""
import asyncio
import io

from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

from app import files
from app.db import session_scope
from app.signing import certification_service as service
from domain.models import Dossier, EmailMessage, Payment, RegisterEntry
from tests.support.cards import make_id_scan_pdf, random_person
from tests.support.http_upload import post_files
from tests.support.workflow import scan_page_jpeg


async def sign_in(user: User, username: str) -> None:
    await user.open("/login")
    user.find(marker="login").type(username)
    user.find(marker="password").type("demo1234")
    user.find(marker="submit").click()
    await user.should_see(marker="user-name", retries=100)


def three_page_pdf() -> bytes:
    from PIL import Image

    pages = [
        Image.open(io.BytesIO(scan_page_jpeg(f"HỌC BẠ — trang {i}", dpi=60))).convert("RGB")
        for i in (1, 2, 3)
    ]
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], resolution=60)
    return buf.getvalue()


def only_upload(user: User) -> ui.upload:
    uploads = [e for e in user.find(kind=ui.upload).elements]
    assert len(uploads) == 1
    return uploads[0]


async def test_walk_in_from_id_scan_to_issued_copy_with_four_people(user: User, create_user):
    person = random_person(11)
    clerk = user
    await sign_in(clerk, "chungthuc")
    await clerk.open("/intake/new")
    clerk.find(marker="id-prefill").elements.pop().set_value(True)  # the form is built when first opened
    sent = await post_files(
        clerk, only_upload(clerk), [("cccd.pdf", "application/pdf", make_id_scan_pdf(person))]
    )
    assert sent.status_code == 200
    await clerk.should_see("QR", retries=300)
    # nothing is copied on reading: the official confirms the QR-checked fields, then copies them
    clerk.find("Xác nhận tất cả trường đã kiểm chứng bằng QR/MRZ").click()
    clerk.find(marker="id-copy").click()  # the source badge of the fields read from the QR code
    name_input = clerk.find(marker="req-name").elements.pop()
    assert name_input.value.upper() == person["full_name"].upper()
    clerk.find(marker="req-email").type("walkin@example.test")
    clerk.find(marker="req-open").click()
    await clerk.should_see(marker="dossier-state", retries=100)
    clerk.find(marker="orig-title-new").type("Học bạ trung học cơ sở")
    for code in ("not_altered", "legible", "not_secret", "lawful_content"):
        clerk.find(marker=f"check-{code}-new").click()
    clerk.find(marker="orig-save-new").click()
    await clerk.should_see("Bản chính 1: Học bạ trung học cơ sở", retries=100)
    scan_upload = clerk.find(marker="scan-upload-1").elements.pop()
    sent = await post_files(clerk, scan_upload, [("hoc-ba.pdf", "application/pdf", three_page_pdf())])
    assert sent.status_code == 200
    await clerk.should_see("Bản scan: 3 trang", retries=100)
    with session_scope() as session:
        dossier = session.exec(select(Dossier)).one()
    assert dossier.requester_id_number == person["id_number"]

    cashier = create_user()
    await sign_in(cashier, "motcua")
    await cashier.open("/fees")
    cashier.find(marker=f"pay-{dossier.id}").click()
    cashier.find(marker="pay-receipt").type("BL-7")
    cashier.find(marker="pay-save").click()
    await cashier.should_see("BL-7", retries=100)
    for _ in range(400):  # the payment is written off the event loop: wait for the row, not the typed text
        with session_scope() as session:
            if session.exec(select(Payment).where(Payment.dossier_id == dossier.id)).first():
                break
        await asyncio.sleep(0.05)

    await clerk.open(f"/dossier/{dossier.id}")
    clerk.find(marker="submit").click()
    await clerk.should_see("Chờ lãnh đạo ký", retries=100)

    leader = create_user()
    await sign_in(leader, "lanhdao")
    await leader.open(f"/queue/sign/{dossier.id}")
    leader.find(marker="do-action").click()
    await leader.should_see("Đã ký số hồ sơ", retries=300)

    sealer = create_user()
    await sign_in(sealer, "vanthu")
    await sealer.open(f"/queue/seal/{dossier.id}")
    sealer.find(marker="do-action").click()
    await sealer.should_see("Đã đóng dấu, cấp số 1/ĐT", retries=300)  # the result, not the step line

    with session_scope() as session:
        entry = session.exec(select(RegisterEntry)).one()
        mail = session.exec(select(EmailMessage)).one()
    assert (
        entry.requester_name.upper() == person["full_name"].upper() and entry.pages == 3 and entry.fee == 5000
    )
    assert mail.to_addr == "walkin@example.test" and mail.attachment_sha256 == entry.file_sha256
    # verify_pdf runs its own event loop: off this test's loop, as the pages do with run.io_bound
    result = await asyncio.to_thread(service.verify_bytes, files.read_bytes(entry.file_sha256))
    assert result.status == "valid"
