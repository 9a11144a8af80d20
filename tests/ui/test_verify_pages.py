"""The public verification pages: by code, by upload, the JSON answer, revocation, privacy, the rate limit."""

from __future__ import annotations

import asyncio

import pytest
from nicegui import ui
from nicegui.testing import User

from app import files
from app.db import UNITS, write_scope
from app.signing import certification_service as service
from app.verification.public_verify import LIMITER
from domain import revocation
from domain.register.numbering import VERIFY_CODE_ALPHABET
from tests.conftest import ARTIFACTS
from tests.support.http_upload import post_files
from tests.support.printed_code import caption_is_under_the_qr, read_printed_code
from tests.support.workflow import signed_dossier_ready, user_named


@pytest.fixture(autouse=True)
def fresh_limiter():
    LIMITER.reset()
    yield
    LIMITER.reset()


async def issued_copy():
    dossier_id = signed_dossier_ready(pages=1)
    await asyncio.to_thread(service.sign, UNITS, user_named("lanhdao"), dossier_id)
    entries = await asyncio.to_thread(service.seal, UNITS, user_named("vanthu"), dossier_id)
    return entries[0]


async def upload(user: User, name: str, data: bytes) -> None:
    element = user.find(ui.upload).elements.pop()
    response = await post_files(user, element, [(name, "application/pdf", data)])  # the real endpoint
    assert response.status_code == 200


async def test_code_page_shows_a_valid_copy_without_personal_data(user: User):
    entry = await issued_copy()
    await user.open(f"/verify/{entry.verify_code}")
    await user.should_see(marker="status-valid", retries=200)
    await user.should_see("HỢP LỆ")
    await user.should_see("Nguyễn V. A.")
    await user.should_see("1/ĐT")
    await user.should_see(entry.book)
    await user.should_see("Giấy khai sinh")
    await user.should_see("Người thực hiện chứng thực: Nguyễn Thị Lãnh", retries=5)
    await user.should_see(entry.file_sha256)
    for secret in ("001099012345", "Nguyễn Văn An", "0987654321", "an@example.test"):
        await user.should_not_see(secret)


async def test_unknown_code_is_not_found(user: User):
    await user.open("/verify/khong-co-ma-nay")
    await user.should_see(marker="status-not_found", retries=100)
    await user.should_see("Không có bản sao nào với mã tra cứu này")


async def test_typed_code_leads_to_the_result(user: User):
    entry = await issued_copy()
    await user.open("/verify")
    user.find(marker="verify-code").type(f"http://testserver/verify/{entry.verify_code}")
    user.find(marker="verify-go").click()
    await user.should_see(marker="status-valid", retries=200)


async def test_code_printed_under_the_qr_is_the_one_the_page_accepts(user: User):
    entry = await issued_copy()
    printed = read_printed_code(
        files.read_bytes(entry.file_sha256), save_as=ARTIFACTS / "issued_copy_last_page.png"
    )
    assert caption_is_under_the_qr(printed), printed
    assert printed.code == entry.verify_code and printed.qr_url.endswith(f"/verify/{printed.code}")
    assert set(printed.code) <= set(VERIFY_CODE_ALPHABET)  # no I/l/1, O/0 to mistake for one another
    for typed in (printed.code, printed.code.lower()):  # as printed, or typed in lower case
        await user.open("/verify")
        user.find(marker="verify-code").type(typed)
        user.find(marker="verify-go").click()
        await user.should_see(marker="status-valid", retries=200)
        await user.should_see(entry.number_text)


async def test_uploaded_copy_is_valid_and_a_flipped_byte_makes_it_altered(user: User):
    entry = await issued_copy()
    data = files.read_bytes(entry.file_sha256)
    await user.open("/verify")
    await upload(user, "ban-sao.pdf", data)
    await user.should_see(marker="status-valid", retries=200)
    altered = bytearray(data)
    middle = len(altered) // 3
    altered[middle] ^= 0x01
    await user.open("/verify")
    await upload(user, "ban-sao.pdf", bytes(altered))
    await user.should_see(marker="status-altered", retries=200)
    await user.should_see("ĐÃ BỊ THAY ĐỔI")


async def test_upload_that_is_not_a_pdf_is_refused_in_vietnamese(user: User):
    await user.open("/verify")
    await upload(user, "anh.pdf", b"\xff\xd8\xff\xe0 not really a pdf")
    await user.should_see(marker="upload-rejected", retries=50)
    await user.should_see("không đúng loại được nhận")


async def test_revoked_copy_says_so_with_the_reason(user: User):
    entry = await issued_copy()
    await user.open(f"/verify/{entry.verify_code}")  # warms the cache: the revocation must still show
    await user.should_see(marker="status-valid", retries=200)
    with write_scope() as session:
        revocation.revoke(session, user_named("lanhdao"), entry.id, "Cấp nhầm giấy tờ")
    await user.open(f"/verify/{entry.verify_code}")
    await user.should_see(marker="status-revoked", retries=200)
    await user.should_see("ĐÃ BỊ THU HỒI")
    await user.should_see("Cấp nhầm giấy tờ")
    answer = (await user.http_client.get(f"/verify/{entry.verify_code}.json")).json()
    assert answer["status"] == "revoked" and answer["revoke_reason"] == "Cấp nhầm giấy tờ"


async def test_json_answer_keeps_the_same_privacy(user: User):
    entry = await issued_copy()
    response = await user.http_client.get(f"/verify/{entry.verify_code}.json")
    assert response.status_code == 200
    answer = response.json()
    assert answer["status"] == "valid" and answer["certification_number"] == "1/ĐT"
    assert answer["requester"] == "Nguyễn V. A."
    assert "001099012345" not in response.text and "0987654321" not in response.text
    assert (await user.http_client.get("/verify/khong-co.json")).status_code == 404


async def test_demo_ca_root_is_downloadable(user: User):
    response = await user.http_client.get("/verify/ca.pem")
    assert response.status_code == 200 and b"BEGIN CERTIFICATE" in response.content


async def test_too_many_requests_from_one_address_get_a_message(user: User):
    for _ in range(LIMITER.limit):
        assert (await user.http_client.get("/verify/khong-co.json")).status_code == 404
    limited = await user.http_client.get("/verify/khong-co.json")
    assert limited.status_code == 429
    page = await user.http_client.get("/verify")
    assert page.status_code == 429 and "quá nhiều lần" in page.text


async def test_upload_of_a_copy_augmented_by_a_bank_is_valid_with_the_long_term_note(
    user: User, pki_services
):
    from tests.support.ltv import augment_like_a_bank

    entry = await issued_copy()
    augmented = await asyncio.to_thread(
        augment_like_a_bank, files.read_bytes(entry.file_sha256), pki_services
    )
    await user.open("/verify")
    await upload(user, "ban-sao-ngan-hang.pdf", augmented)
    await user.should_see(marker="status-valid", retries=200)
    await user.should_see("Mức chữ ký số: PAdES B-LTA")
    await user.should_see(marker="note")
