"""Steps 3–4 and delivery through the pages: the leader's queue, the seal queue, the citizen's copies, the
download route's ownership checks, return for correction, the handled list and revocation."""

from __future__ import annotations

import asyncio

from nicegui.testing import User
from sqlmodel import select

from app.db import UNITS, session_scope, write_scope
from app.signing import certification_service as service
from app.signing import sign_seal
from domain import workflow
from domain.models import Account, Dossier, EmailMessage, Office, RegisterEntry, RightGrant, Unit
from domain.security import hash_password
from tests.support.workflow import signed_dossier_ready, user_named


async def sign_in(user: User, login: str, password: str = "demo1234") -> None:
    await user.open("/login")
    user.find(marker="login").type(login)
    user.find(marker="password").type(password)
    user.find(marker="submit").click()
    await user.should_see(marker="user-name", retries=100)


def dossier_code(dossier_id: int) -> str:
    with session_scope() as session:
        return session.get(Dossier, dossier_id).code


def dossier_state(dossier_id: int) -> str:
    with session_scope() as session:
        return session.get(Dossier, dossier_id).state


async def issued_copy() -> tuple[int, RegisterEntry]:
    """Signed and sealed through the use cases (pyHanko runs its own loop: off this thread)."""
    dossier_id = signed_dossier_ready(pages=1)
    await sign_now(dossier_id)
    entries = await asyncio.to_thread(service.seal, UNITS, user_named("vanthu"), dossier_id)
    return dossier_id, entries[0]


async def sign_now(dossier_id: int) -> None:
    await asyncio.to_thread(service.sign, UNITS, user_named("lanhdao"), dossier_id)


def add_other_office() -> None:
    """A second office with its own leader/seal keeper 'lanhdao2', and a second citizen."""
    with write_scope() as session:
        unit = Unit(code="HB-UBND", name="UBND phường Hai Bà Trưng", kind="office")
        session.add(unit)
        session.flush()
        office = Office(unit_id=unit.id, name="UBND phường Hai Bà Trưng")
        session.add(office)
        session.flush()
        other = Account(
            kind="official",
            username="lanhdao2",
            full_name="Đỗ Văn Khác",
            unit_id=unit.id,
            office_id=office.id,
            password_hash=hash_password("demo1234"),
        )
        citizen = Account(
            kind="citizen",
            username="001099099999",
            full_name="Lê Thị Khác",
            id_number="001099099999",
            phone="0987000111",
            password_hash=hash_password("demo1234"),
        )
        session.add_all([other, citizen])
        session.flush()
        for right in ("sign_copy", "seal_copy", "create_copy"):
            session.add(RightGrant(account_id=other.id, office_id=office.id, right=right))
        session.commit()


async def test_copy_goes_from_leader_to_seal_keeper_to_the_citizen_and_verifies(user: User, create_user):
    dossier_id = signed_dossier_ready(pages=2)
    code = dossier_code(dossier_id)

    leader = create_user()
    await sign_in(leader, "lanhdao")
    await leader.should_see("Chờ lãnh đạo ký: 1 hồ sơ")  # dashboard widget
    await leader.open("/queue/sign")
    await leader.should_see(code)
    leader.find(marker=f"open-{dossier_id}").click()
    await leader.should_see("Bản chính: Giấy khai sinh", retries=100)
    await leader.should_see(marker="scan-preview", retries=100)
    leader.find(marker="do-action").click()
    await leader.should_see("Đã ký số hồ sơ", retries=300)
    assert dossier_state(dossier_id) == workflow.SIGNED
    await leader.should_see("Chờ đóng dấu, cấp số", retries=100)  # the state chip follows at once
    await leader.should_see(marker="scan-preview")  # the scans stay (not redrawn with the state)

    sealer = create_user()
    await sign_in(sealer, "vanthu")
    await sealer.open("/queue/seal")
    await sealer.should_see(code)
    sealer.find(marker=f"select-{dossier_id}").click()
    sealer.find(marker="batch-action").click()
    await sealer.should_see("Đã đóng dấu, cấp số 1/ĐT", retries=300)
    await sealer.should_see("Không có hồ sơ nào chờ đóng dấu, cấp số.")
    with session_scope() as session:
        entry = session.exec(select(RegisterEntry).where(RegisterEntry.dossier_id == dossier_id)).one()

    citizen = create_user()
    await sign_in(citizen, "001099012345")
    await citizen.should_see("Bản sao đã chứng thực gần đây")
    await citizen.should_see("Giấy khai sinh (số 1/ĐT)")
    await citizen.open("/my/copies")
    await citizen.should_see(f"/verify/{entry.verify_code}")
    citizen.find(marker=f"download-{entry.id}").click()
    response = await citizen.download.next(timeout=10)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert (await asyncio.to_thread(service.verify_bytes, response.content)).status == "valid"

    # the leader and the official find it among what they handled
    await leader.open("/handled")
    await leader.should_see(code)
    await leader.should_see("Số chứng thực: 1/ĐT")
    clerk = create_user()
    await sign_in(clerk, "chungthuc")
    await clerk.open(f"/handled/{dossier_id}")
    await clerk.should_see("Số chứng thực 1/ĐT")
    await clerk.should_see(marker="email-status-queued")  # no SMTP configured in tests
    await clerk.should_not_see(marker=f"revoke-{entry.id}")  # only a leader revokes


async def test_several_dossiers_are_signed_at_once_with_a_result_each(user: User):
    ids = [signed_dossier_ready(pages=1) for _ in range(2)]
    await sign_in(user, "lanhdao")
    await user.open("/queue/sign")
    await user.should_see("2 hồ sơ")
    for dossier_id in ids:
        user.find(marker=f"select-{dossier_id}").click()
    user.find(marker="batch-action").click()
    for dossier_id in ids:
        await user.should_see(f"Đã ký số hồ sơ {dossier_code(dossier_id)}", retries=300)
    await user.should_see("Không có hồ sơ nào chờ ký.")
    assert {dossier_state(i) for i in ids} == {workflow.SIGNED}


async def test_leader_returns_a_dossier_for_correction_with_a_comment(user: User):
    dossier_id = signed_dossier_ready(pages=1)
    await sign_in(user, "lanhdao")
    await user.open(f"/queue/sign/{dossier_id}")
    user.find(marker="return").click()
    user.find(marker="return-confirm").click()
    await user.should_see("Vui lòng ghi nội dung cần bổ sung, chỉnh sửa.", retries=100)
    user.find(marker="return-comment").type("Trang 1 bị mờ, đề nghị scan lại.")
    user.find(marker="return-confirm").click()
    await user.should_see("Đã trả lại hồ sơ", retries=100)
    with session_scope() as session:
        dossier = session.get(Dossier, dossier_id)
        assert dossier.state == workflow.RETURNED and dossier.return_comment.startswith("Trang 1 bị mờ")
    await user.open("/queue/sign")
    await user.should_see("Không có hồ sơ nào chờ ký.")
    await sign_in(user, "chungthuc")  # back in the official's intake queue
    await user.open("/intake")
    await user.should_see(dossier_code(dossier_id))


async def test_seal_keeper_may_return_a_signed_dossier(user: User):
    dossier_id = signed_dossier_ready(pages=1)
    await sign_now(dossier_id)
    await sign_in(user, "vanthu")
    await user.open(f"/queue/seal/{dossier_id}")
    user.find(marker="return").click()
    user.find(marker="return-comment").type("Sai tên giấy tờ.")
    user.find(marker="return-confirm").click()
    await user.should_see("Đã trả lại hồ sơ", retries=100)
    assert dossier_state(dossier_id) == workflow.RETURNED


async def test_sign_of_a_dossier_already_signed_says_why(user: User):
    dossier_id = signed_dossier_ready(pages=1)
    await sign_in(user, "lanhdao")
    await user.open(f"/queue/sign/{dossier_id}")
    await sign_now(dossier_id)  # signed meanwhile (another tab)
    user.find(marker="do-action").click()
    await user.should_see(
        "Không thể ký bản sao khi hồ sơ đang ở trạng thái «Chờ đóng dấu, cấp số»", retries=100
    )


async def test_missing_signing_key_gives_a_clear_message(user: User, monkeypatch):
    from app.signing.factory import SignerConfigError

    def no_key(*args, **kwargs):
        raise SignerConfigError("unknown signer kind: ''")

    monkeypatch.setattr(sign_seal, "leader_kit", no_key)
    dossier_id = signed_dossier_ready(pages=1)
    await sign_in(user, "lanhdao")
    await user.open(f"/queue/sign/{dossier_id}")
    user.find(marker="do-action").click()
    await user.should_see("Chưa cấu hình chữ ký số", retries=100)
    assert dossier_state(dossier_id) == workflow.SUBMITTED


async def test_strangers_get_nothing_from_the_download_route_or_the_queues(user: User, create_user):
    dossier_id, entry = await issued_copy()
    add_other_office()
    url = f"/download/copy/{entry.id}"

    anonymous = await user.http_client.get(url)
    assert anonymous.status_code in (302, 303, 307) and anonymous.headers["location"].startswith("/login")

    other_official = create_user()
    await sign_in(other_official, "lanhdao2")
    assert (await other_official.http_client.get(url)).status_code == 404
    await other_official.open("/queue/sign")
    await other_official.should_not_see(dossier_code(dossier_id))
    await other_official.open(f"/queue/seal/{dossier_id}")
    await other_official.should_see("Không tìm thấy hồ sơ hoặc hồ sơ thuộc cơ quan khác.")
    await other_official.open(f"/handled/{dossier_id}")
    await other_official.should_see("Không tìm thấy hồ sơ hoặc hồ sơ thuộc cơ quan khác.")

    other_citizen = create_user()
    await sign_in(other_citizen, "001099099999")
    assert (await other_citizen.http_client.get(url)).status_code == 404
    assert (await other_citizen.http_client.get("/download/copy/999999")).status_code == 404
    await other_citizen.open("/queue/sign")
    await other_citizen.should_see(marker="access-denied")
    await other_citizen.open("/my/copies")
    await other_citizen.should_see("Bạn chưa có bản sao điện tử nào được chứng thực.")

    clerk = create_user()  # any official of the issuing office may print it at the desk
    await sign_in(clerk, "chungthuc")
    ok = await clerk.http_client.get(url)
    assert ok.status_code == 200 and ok.content.startswith(b"%PDF-")
    await clerk.open("/queue/sign")
    await clerk.should_see(marker="access-denied")


async def test_leader_revokes_an_issued_copy_once(user: User):
    dossier_id, entry = await issued_copy()
    await sign_in(user, "lanhdao")
    await user.open(f"/handled/{dossier_id}")
    user.find(marker=f"revoke-{entry.id}").click()
    user.find(marker="revoke-reason").type("Cấp nhầm người yêu cầu")
    user.find(marker="revoke-confirm").click()
    await user.should_see("ĐÃ THU HỒI", retries=100)
    await user.should_not_see(marker=f"revoke-{entry.id}")
    result = await asyncio.to_thread(service.verify_bytes, user_download_bytes(entry))
    assert result.status == "revoked" and result.register.revoke_reason == "Cấp nhầm người yêu cầu"


def user_download_bytes(entry: RegisterEntry) -> bytes:
    from app import files

    return files.read_bytes(entry.file_sha256)


async def test_failed_email_shows_its_status_and_can_be_sent_again(user: User):
    dossier_id, _entry = await issued_copy()
    with write_scope() as session:
        mail = session.exec(select(EmailMessage).where(EmailMessage.dossier_id == dossier_id)).one()
        mail.status, mail.attempts, mail.last_error = "failed", 8, "ConnectionRefusedError: [Errno 111]"
        session.commit()
        mail_id = mail.id
    await sign_in(user, "chungthuc")
    await user.open(f"/handled/{dossier_id}")
    await user.should_see("Gửi không thành công")
    await user.should_see("Lần thử 8: ConnectionRefusedError")
    user.find(marker=f"resend-{mail_id}").click()
    await user.should_see("Đã đưa thư vào hàng gửi lại.", retries=100)
    with session_scope() as session:
        assert session.get(EmailMessage, mail_id).status == "retrying"
