"""Every refusal has one shape: a DomainError with the Vietnamese text in `message`, shown as is."""
import logging

import pytest

from app.backup import BackupError
from app.intake.uploads import UploadRejected
from app.signing.csc_errors import RemoteSigningError
from app.web.actions import failure_text
from domain.access import AccessDenied
from domain.accounts import SignInError
from domain.admin_scope import AdminError
from domain.appointments import AppointmentError
from domain.citizen_accounts import CitizenAccountError
from domain.dates import BadDate
from domain.deadlines import ExtensionRefused
from domain.dossiers import WorkflowError
from domain.errors import DomainError
from domain.idcard import IdCardReadError
from domain.otp import OtpError
from domain.password_reset import ResetError
from domain.phone import InvalidPhone
from domain.register import QueryError
from domain.workflow import IllegalTransition

REFUSALS = [
    AccessDenied,
    SignInError,
    AdminError,
    AppointmentError,
    CitizenAccountError,
    BadDate,
    ExtensionRefused,
    WorkflowError,
    IdCardReadError,
    OtpError,
    ResetError,
    InvalidPhone,
    QueryError,
    IllegalTransition,
    BackupError,
    UploadRejected,
]


@pytest.mark.parametrize("error", REFUSALS, ids=lambda e: e.__name__)
def test_each_refusal_is_shown_in_its_own_words(error):
    exc = error("Hồ sơ không hợp lệ.")
    assert isinstance(exc, DomainError) and exc.message == "Hồ sơ không hợp lệ."
    assert failure_text(exc) == "Hồ sơ không hợp lệ."


def test_a_remote_signing_refusal_says_its_kind_to_the_signer_and_its_detail_to_the_log():
    exc = RemoteSigningError("wrong_pin", "provider said 401")
    assert failure_text(exc).startswith("Mã PIN/OTP không đúng")
    assert str(exc) == "wrong_pin: provider said 401"


def test_an_unexpected_error_is_logged_with_the_request_id_the_user_sees(caplog):
    with caplog.at_level(logging.ERROR, logger="app.web.actions"):
        text = failure_text(KeyError("dossier_id"))
    assert "lỗi hệ thống (KeyError, mã " in text
    request_id = text.split("mã ", 1)[1].split(")")[0]
    assert any(request_id in r.getMessage() and r.exc_info for r in caplog.records)
