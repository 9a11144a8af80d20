"""A batch signed and sealed remotely through the certification use cases: one approval per batch,
the register numbers each seal in its own transaction, and a provider failure leaves the dossier
waiting, unsigned, with the attempt in the audit trail."""
from __future__ import annotations

import pytest
from sqlmodel import select

from app import files
from app.db import UNITS, session_scope
from app.signing import certification_service as service
from app.signing import remote_signing, resolve
from app.signing.csc_errors import RemoteSigningError
from domain import workflow
from domain.models import AuditEvent, Dossier, Original
from tests.support.workflow import signed_dossier_ready, user_named


@pytest.fixture
def remote_demo(csc_service, monkeypatch):
    """DEMO_CSC: the demo leader's and office's keys are used through the CSC test server."""
    monkeypatch.setenv("DEMO_CSC", "1")
    monkeypatch.setenv("CSC_DEMO_URL", csc_service.url)
    return csc_service


def approve(username: str, role: str, ids: list[int], pin: str = "123456"):
    user = user_named(username)
    cfg = resolve.signer_config(user, role)
    assert cfg["kind"] == "csc"
    return remote_signing.approve(user, role, cfg, remote_signing.signatures_needed(ids), pin)


def audit_actions() -> list[tuple[str, str]]:
    with session_scope() as session:
        return [(e.action, e.summary) for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]


def test_one_approval_signs_and_seals_a_batch_in_register_order(db_url, remote_demo):
    ids = [signed_dossier_ready(pages=1) for _ in range(3)]
    leader, keeper = user_named("lanhdao"), user_named("vanthu")
    approval = approve("lanhdao", remote_signing.LEADER, ids)
    assert approval.authorization.remaining == 3
    for dossier_id in ids:
        service.sign(UNITS, leader, dossier_id)
    remote_signing.release(remote_signing.LEADER, leader.account_id)
    approve("vanthu", remote_signing.OFFICE, ids)
    numbers = [service.seal(UNITS, keeper, dossier_id)[0].number for dossier_id in ids]
    remote_signing.release(remote_signing.OFFICE, keeper.account_id)
    assert numbers == [1, 2, 3]
    for dossier_id in ids:
        with session_scope() as session:
            entry_sha = session.exec(
                select(Original.signed_sha256).where(Original.dossier_id == dossier_id)
            ).one()
        result = service.verify_bytes(files.read_bytes(service_entry_sha(dossier_id)))
        assert entry_sha and result.status == "valid", result.to_dict()
    assert [a for a, _ in audit_actions()].count("remote_authorize") == 2


def service_entry_sha(dossier_id: int) -> str:
    from domain.models import RegisterEntry

    with session_scope() as session:
        return session.exec(
            select(RegisterEntry.file_sha256).where(RegisterEntry.dossier_id == dossier_id)
        ).one()


def test_without_approval_a_remote_key_does_not_sign(db_url, remote_demo):
    dossier_id = signed_dossier_ready(pages=1)
    with pytest.raises(RemoteSigningError) as caught:
        service.sign(UNITS, user_named("lanhdao"), dossier_id)
    assert caught.value.kind == "not_authorized"
    with session_scope() as session:
        assert session.get(Dossier, dossier_id).state == workflow.SUBMITTED


def test_wrong_pin_is_audited_and_signs_nothing(db_url, remote_demo):
    with pytest.raises(RemoteSigningError) as caught:
        approve("lanhdao", remote_signing.LEADER, [signed_dossier_ready(pages=1)], pin="999999")
    assert caught.value.kind == "wrong_pin"
    assert ("remote_sign_failed", "Xác nhận ký số từ xa không thành công: " + caught.value.message) \
        in audit_actions()


def test_provider_down_mid_batch_keeps_signed_ones_and_leaves_the_rest_waiting(db_url, pki_services,
                                                                              monkeypatch):
    from app.pki.csc_server import CscPolicy, start_csc_service
    from app.pki.demo_csc import demo_client_secret_file

    secret = demo_client_secret_file(pki_services).read_text().strip()
    server = start_csc_service(pki_services, policy=CscPolicy(client_secret=secret))
    monkeypatch.setenv("DEMO_CSC", "1")
    monkeypatch.setenv("CSC_DEMO_URL", server.url)
    ids = [signed_dossier_ready(pages=1) for _ in range(2)]
    leader = user_named("lanhdao")
    approve("lanhdao", remote_signing.LEADER, ids)
    service.sign(UNITS, leader, ids[0])
    server.stop()
    with pytest.raises(RemoteSigningError) as caught:
        service.sign(UNITS, leader, ids[1])
    assert caught.value.kind == "unreachable"
    with session_scope() as session:
        assert session.get(Dossier, ids[0]).state == workflow.SIGNED
        assert session.get(Dossier, ids[1]).state == workflow.SUBMITTED
        assert session.exec(select(Original.signed_sha256).where(Original.dossier_id == ids[1])).one() is None
    code = _code(ids[1])
    assert any(
        a == "remote_sign_failed" and code in s and "Không kết nối được" in s for a, s in audit_actions()
    )
    remote_signing.release(remote_signing.LEADER, leader.account_id)


def _code(dossier_id: int) -> str:
    with session_scope() as session:
        return session.get(Dossier, dossier_id).code
