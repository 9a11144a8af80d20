"""The office settings «cho phép nộp phí sau» and the notifications (SMS, e-mail), as the requester and the
officials notice them: an unpaid dossier goes to the leader only when paying later is allowed, the fee is
then collected after the copy is issued; SMS and e-mail notices follow the office's choices."""
from __future__ import annotations

import pytest
from sqlmodel import select

from app import dossier_service, files
from app.db import UNITS, session_scope, write_scope
from app.signing import certification_service as service
from domain import dossiers, payments, refusal, workflow
from domain.dossiers import WorkflowError
from domain.models import Dossier, EmailMessage, Office, Payment, SmsMessage
from tests.support.workflow import scan_page_jpeg, user_named


def _office(**settings) -> None:
    with write_scope() as session:
        office = session.exec(select(Office)).first()
        for name, value in settings.items():
            setattr(office, name, value)
        session.commit()


def _unpaid_dossier() -> int:
    clerk = user_named("chungthuc")
    with write_scope() as session:
        dossier = dossiers.open_dossier(session, clerk, dossiers.RequesterData(
            name="Nguyễn Văn An", id_number="001099012345", phone="0987654321", email="an@example.test"))
    with write_scope() as session:
        original = dossiers.save_original(session, clerk, dossier.id, dossiers.OriginalData(
            title="Giấy khai sinh", issuer="UBND phường Hoàn Kiếm", pages=1,
            checks=["not_altered", "legible", "not_secret", "lawful_content"]))
    with write_scope() as session:
        sha = files.store_bytes(scan_page_jpeg("GIẤY KHAI SINH"), "image/jpeg", session)
        session.commit()
    with write_scope() as session:
        dossiers.add_scan_pages(session, clerk, original.id, sha, 1)
    return dossier.id


def _submit(dossier_id: int) -> None:
    with write_scope() as session:
        dossiers.submit(session, user_named("chungthuc"), dossier_id)


def test_an_unpaid_dossier_waits_for_the_fee_when_paying_later_is_not_allowed(db_url):
    _office(allow_pay_later=False)
    dossier_id = _unpaid_dossier()
    with pytest.raises(WorkflowError, match="chưa nộp phí"):
        _submit(dossier_id)
    with session_scope() as session:
        assert session.get(Dossier, dossier_id).state == workflow.DRAFT


def test_with_pay_later_the_copy_is_issued_first_and_the_fee_collected_after(db_url):
    _office(allow_pay_later=True)
    dossier_id = _unpaid_dossier()
    _submit(dossier_id)
    service.sign(UNITS, user_named("lanhdao"), dossier_id)
    entry = service.seal(UNITS, user_named("vanthu"), dossier_id)[0]
    assert entry.number == 1
    cashier = user_named("motcua")
    with write_scope() as session:
        fee = dossiers.dossier_fee(session, dossier_id)
        payments.record_payment(session, cashier, dossier_id, "transfer", fee, "BL-SAU-1")
    with write_scope() as session, pytest.raises(WorkflowError, match="đã nộp đủ phí"):
        payments.record_payment(session, cashier, dossier_id, "cash", fee, "BL-SAU-2")
    with session_scope() as session:
        assert [(p.amount, p.receipt_number) for p in session.exec(select(Payment))] == [(fee, "BL-SAU-1")]
        assert session.get(Dossier, dossier_id).state == workflow.ISSUED


@pytest.mark.parametrize("notify_sms", [True, False])
def test_the_copy_ready_sms_follows_the_office_setting_and_the_copy_always_goes_by_email(db_url, notify_sms):
    _office(allow_pay_later=True, notify_sms=notify_sms)
    dossier_id = _unpaid_dossier()
    _submit(dossier_id)
    service.sign(UNITS, user_named("lanhdao"), dossier_id)
    entry = service.seal(UNITS, user_named("vanthu"), dossier_id)[0]
    with session_scope() as session:
        sms = session.exec(select(SmsMessage).where(SmsMessage.purpose == "copy_ready")).all()
        mail = session.exec(select(EmailMessage)).all()
    assert [m.phone for m in sms] == (["0987654321"] if notify_sms else [])
    assert [(m.to_addr, m.attachment_sha256) for m in mail] == [("an@example.test", entry.file_sha256)]


@pytest.mark.parametrize(("notify_email", "notify_sms"), [(True, True), (False, False)])
def test_the_refusal_notice_goes_out_only_by_the_channels_the_office_chose(db_url, notify_email, notify_sms):
    _office(notify_email=notify_email, notify_sms=notify_sms)
    dossier_id = _unpaid_dossier()
    ground = next(iter(refusal.REFUSAL_GROUNDS))
    with write_scope() as session:
        dossier_service.refuse_with_notice(session, user_named("chungthuc"), dossier_id, [ground],
                                           "Bản chính bị tẩy xóa.")
    with session_scope() as session:
        assert session.get(Dossier, dossier_id).state == workflow.REFUSED
        mails = session.exec(select(EmailMessage)).all()
        sms = session.exec(select(SmsMessage).where(SmsMessage.purpose == "refusal_notice")).all()
    assert len(mails) == (1 if notify_email else 0) and len(sms) == (1 if notify_sms else 0)
