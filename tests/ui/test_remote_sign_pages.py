"""The remote-signing ceremony on the sign page (User fixture, real CSC server on 127.0.0.1): a wrong PIN
and a provider time-out are said in Vietnamese, audited, and leave the dossier waiting; cancelling
while the phone approval is pending signs nothing."""
from __future__ import annotations

import pytest
from nicegui.testing import User
from sqlmodel import select

from app.db import UNITS, session_scope, write_scope
from domain import workflow
from domain.models import Account, AuditEvent
from tests.support.keys import stored_csc
from tests.support.workflow import signed_dossier_ready
from tests.ui.test_sign_seal_pages import dossier_state, sign_in


@pytest.fixture
def remote_demo(csc_service, monkeypatch):
    monkeypatch.setenv("DEMO_CSC", "1")
    monkeypatch.setenv("DEMO_CSC_SERVE", "0")
    monkeypatch.setenv("CSC_DEMO_URL", csc_service.url)
    yield csc_service
    csc_service.policy.approval_delay = 0.0


def failures() -> list[str]:
    with session_scope() as session:
        return list(session.exec(select(AuditEvent.summary).where(AuditEvent.action == "remote_sign_failed")))


async def open_and_sign(user: User, dossier_id: int) -> None:
    await sign_in(user, "lanhdao")
    await user.open(f"/queue/sign/{dossier_id}")
    user.find(marker="do-action").click()
    await user.should_see(marker="remote-pin", retries=100)


async def test_wrong_pin_is_said_and_audited_then_the_right_pin_signs(user: User, remote_demo):
    dossier_id = signed_dossier_ready(pages=1)
    await open_and_sign(user, dossier_id)
    user.find(marker="remote-pin").type("000000")
    user.find(marker="remote-confirm").click()
    await user.should_see("Mã PIN/OTP không đúng", retries=200)
    assert dossier_state(dossier_id) == workflow.SUBMITTED
    assert any("Mã PIN/OTP không đúng" in s for s in failures())
    user.find(marker="remote-pin").type("123456")
    user.find(marker="remote-confirm").click()
    await user.should_see("Đã ký số hồ sơ", retries=400)
    assert dossier_state(dossier_id) == workflow.SIGNED


async def test_provider_time_out_is_said_and_audited(user: User, remote_demo):
    from app.pki.demo_csc import demo_csc_config
    from app.signing.resolve import demo_pki

    with write_scope() as session:
        leader = session.exec(select(Account).where(Account.username == "lanhdao")).one()
        demo_pki().issue_person("leader-lanhdao", leader.full_name, leader.title or "Lãnh đạo", "demo")
        cfg = stored_csc(session, leader.office_id, demo_csc_config(demo_pki(), "leader-lanhdao"), leader.id)
        leader.signing_config = dict(cfg, authorize_timeout=0.5)
        session.add(leader)
        session.commit()
    remote_demo.policy.approval_delay = 2.0
    dossier_id = signed_dossier_ready(pages=1)
    await open_and_sign(user, dossier_id)
    user.find(marker="remote-pin").type("123456")
    user.find(marker="remote-confirm").click()
    await user.should_see("quá thời gian chờ", retries=300)
    assert dossier_state(dossier_id) == workflow.SUBMITTED
    assert any("quá thời gian chờ" in s for s in failures())


async def test_cancel_while_waiting_for_the_phone_signs_nothing(user: User, remote_demo):
    remote_demo.policy.approval_delay = 1.5
    dossier_id = signed_dossier_ready(pages=1)
    await open_and_sign(user, dossier_id)
    user.find(marker="remote-pin").type("123456")
    user.find(marker="remote-confirm").click()
    await user.should_see("Đang chờ xác nhận trên điện thoại…", retries=100)
    user.find(marker="remote-cancel").click()
    await user.should_not_see(marker="remote-pin", retries=100)
    import asyncio

    await asyncio.sleep(2.0)  # the provider answers after the cancel: the approval is dropped
    assert dossier_state(dossier_id) == workflow.SUBMITTED
    from app.signing import remote_signing
    from app.signing.csc_errors import RemoteSigningError

    with pytest.raises(RemoteSigningError):
        remote_signing.approval_for(remote_signing.LEADER, _leader_id())


def _leader_id() -> int:
    with session_scope() as session:
        return session.exec(select(Account.id).where(Account.username == "lanhdao")).one()


async def test_administrator_sets_a_leaders_remote_key_and_the_leader_signs_with_it(user: User, csc_service,
                                                                                   create_user, monkeypatch):
    """Per-account configuration on the official's page; the client secret is typed once and kept sealed."""
    from app.pki.demo_csc import credential_id, demo_client_secret_file
    from app.signing.resolve import demo_pki
    from tests.ui.admin_support import account, set_input
    from tests.ui.admin_support import sign_in as admin_sign_in

    leader = account("lanhdao")
    demo_pki().issue_person("leader-remote", leader.full_name, "Chủ tịch", "UBND phường Hoàn Kiếm (demo)")
    secret = demo_client_secret_file(demo_pki()).read_text().strip()
    monkeypatch.setenv("OUTBOUND_HOSTS", csc_service.url.split("//")[1].split("/")[0])  # the operator's list
    await admin_sign_in(user)
    await user.open(f"/admin/users/{leader.id}")
    user.find(marker="s-kind").elements.pop().value = "csc"
    set_input(user, "s-service-url", csc_service.url)
    set_input(user, "s-credential-id", credential_id("leader-remote"))
    set_input(user, "s-client-id", "chungthuc-demo")
    user.find(marker="save-official-signing").click()
    await user.should_see("cần «Client ID» và «Client secret», hoặc «Access token»")
    set_input(user, "s-client-secret", secret)
    user.find(marker="save-official-signing").click()
    await user.should_see("Đã lưu chữ ký số của người ký.")
    await user.open(f"/admin/users/{leader.id}")
    await user.should_see(marker="s-client-secret")
    await user.should_not_see(secret)
    with session_scope() as session:
        saved = session.get(Account, leader.id).signing_config
        summaries = " ".join(session.exec(select(AuditEvent.summary)))
    assert saved["kind"] == "csc" and saved["secret_kind"] == "csc_secret"
    assert secret not in summaries and secret not in str(saved)

    dossier_id = signed_dossier_ready(pages=1)
    signer = create_user()
    await open_and_sign(signer, dossier_id)
    signer.find(marker="remote-pin").type("123456")
    signer.find(marker="remote-confirm").click()
    await signer.should_see("Đã ký số hồ sơ", retries=400)
    assert dossier_state(dossier_id) == workflow.SIGNED


async def test_all_on_time_are_reviewed_and_signed_with_one_approval(user: User, remote_demo):
    from app.db import session_scope as scope
    from domain.models import Dossier

    ids = [signed_dossier_ready(pages=1) for _ in range(3)]
    with scope() as session:
        codes = [session.get(Dossier, i).code for i in ids]
    await sign_in(user, "lanhdao")
    await user.open("/queue/sign")
    user.find(marker="select-on-time").click()
    user.find(marker="batch-action").click()
    await user.should_see(marker="remote-pin", retries=100)
    await user.should_see("cho 3 hồ sơ (3 bản sao)")
    for code in codes:
        await user.should_see(f"{code} — Nguyễn Văn An")
    signed_before = remote_demo.policy.signed
    user.find(marker="remote-pin").type("123456")
    user.find(marker="remote-confirm").click()
    await user.should_see("Đã xử lý 3/3 hồ sơ", retries=600)
    assert [dossier_state(i) for i in ids] == [workflow.SIGNED] * 3
    assert remote_demo.policy.signed - signed_before == 3
    with session_scope() as session:
        approvals = session.exec(
            select(AuditEvent.summary).where(AuditEvent.action == "remote_authorize")
        ).all()
    assert len(approvals) == 1 and "cho 3 chữ ký" in approvals[0]


async def test_seal_keeper_seals_a_batch_remotely_each_with_its_own_number_in_order(user: User, remote_demo):
    import asyncio

    from app.signing import certification_service as service
    from app.signing import remote_signing, resolve
    from domain.models import RegisterEntry
    from tests.support.workflow import user_named

    ids = [signed_dossier_ready(pages=1) for _ in range(2)]
    leader = user_named("lanhdao")
    cfg = resolve.signer_config(leader, remote_signing.LEADER)
    await asyncio.to_thread(remote_signing.approve, leader, remote_signing.LEADER, cfg, 2, "123456")
    for dossier_id in ids:
        await asyncio.to_thread(service.sign, UNITS, leader, dossier_id)
    remote_signing.release(remote_signing.LEADER, leader.account_id)

    await sign_in(user, "vanthu")
    await user.open("/queue/seal")
    for dossier_id in ids:
        user.find(marker=f"select-{dossier_id}").click()
    user.find(marker="batch-action").click()
    await user.should_see("con dấu điện tử của cơ quan cho 2 hồ sơ", retries=100)
    user.find(marker="remote-pin").type("123456")
    user.find(marker="remote-confirm").click()
    await user.should_see("Đã xử lý 2/2 hồ sơ", retries=600)
    with session_scope() as session:
        numbers = [session.exec(select(RegisterEntry.number_text).where(RegisterEntry.dossier_id == i)).one()
                   for i in ids]
    assert numbers == ["1/ĐT", "2/ĐT"]


async def test_closing_the_year_with_a_remote_seal_asks_the_seal_keepers_pin_and_signs(user: User,
                                                                                       remote_demo):
    """Issue 28: «Khóa sổ» built the office signer without the remote approval, so under DEMO_CSC=1 it
    failed with «Chưa xác nhận ký số từ xa»; it also skipped the demo time-stamp. Clicked through the page."""
    from app import files
    from app.db import session_scope as scope
    from domain.models import RegisterCounter
    from tests.ui.admin_support import set_input

    signed_before = remote_demo.policy.signed
    await sign_in(user, "vanthu")
    await user.open("/register")
    await user.should_see(marker="close", retries=100)
    set_input(user, "close-year", "2025")
    user.find(marker="close").click()
    user.find(marker="close-confirm").click()
    await user.should_see(marker="remote-pin", retries=100)
    await user.should_see("Biên bản khóa sổ năm 2025")
    user.find(marker="remote-pin").type("123456")
    user.find(marker="remote-confirm").click()
    await user.should_see("Đã khóa sổ năm 2025", retries=400)
    assert remote_demo.policy.signed - signed_before == 1
    with scope() as session:
        counter = session.exec(select(RegisterCounter).where(RegisterCounter.year == 2025)).one()
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    signature = PdfFileReader(BytesIO(files.read_bytes(counter.closing_sha256))).embedded_signatures[0]
    unsigned = [a["type"].native for a in signature.signer_info["unsigned_attrs"]]
    assert "signature_time_stamp_token" in unsigned  # the demo TSA's time-stamp, as on copies
