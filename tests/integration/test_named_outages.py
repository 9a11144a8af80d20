"""Named outages (issue 34.7): a time-stamp or revocation service that does not answer fails the step
within a bounded time with a Vietnamese message naming the service and its address; a full disk is said
as such. Real parts: the product's signing with a service on 127.0.0.1 that accepts and never answers."""
from __future__ import annotations

import socket
import time

import pytest

from app.db import UNITS
from app.settings import reload_settings
from app.signing import certification_service as service
from domain.dossiers import WorkflowError
from tests.support.workflow import signed_dossier_ready, user_named


@pytest.fixture
def silent_service():
    """A TCP port that accepts connections (the kernel's backlog) and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    yield f"127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


def test_a_silent_time_stamp_service_fails_the_signature_naming_it(demo_db, silent_service, monkeypatch):
    monkeypatch.setenv("TSA_URL", f"http://{silent_service}/tsa")
    monkeypatch.setenv("SIGNING_SERVICE_TIMEOUT", "1")
    reload_settings()
    dossier_id = signed_dossier_ready(pages=1)
    started = time.monotonic()
    with pytest.raises(WorkflowError) as refused:
        service.sign(UNITS, user_named("lanhdao"), dossier_id)
    assert f"Dịch vụ cấp dấu thời gian (TSA) tại {silent_service} không phản hồi" in refused.value.message
    assert time.monotonic() - started < 30  # bounded: not a hang


def test_a_silent_revocation_service_fails_the_signature_naming_it(silent_service, tmp_path, monkeypatch):
    """A PKI whose OCSP and CRL addresses lead to a service that never answers: B-LT needs them."""
    from app.pki.demo_pki import DemoPki
    from app.signing.factory import signer_from_config
    from app.signing.http import ServiceOutage
    from app.signing.signatures import sign_as_leader
    from tests.support.ltv import LEADER, OFFICE, TITLE, unsigned_copy

    monkeypatch.setenv("SIGNING_SERVICE_TIMEOUT", "1")
    pki = DemoPki(tmp_path / "pki").ensure(f"http://{silent_service}")
    pki.issue_person("lanh", LEADER, TITLE, OFFICE)
    leader = signer_from_config({"kind": "demo", "key_id": "lanh"}, demo_pki=pki)
    started = time.monotonic()
    with pytest.raises(ServiceOutage) as refused:
        sign_as_leader(unsigned_copy(1), leader, name=LEADER, title=TITLE, office_name=OFFICE,
                       trust_roots_der=(pki.root_cert_der(),))
    assert refused.value.message.startswith(
        f"Dịch vụ kiểm tra trạng thái chứng thư số (OCSP/CRL) tại {silent_service} không phản hồi")
    assert time.monotonic() - started < 30


def test_a_full_disk_is_said_as_such():
    from app.web.actions import failure_text

    try:
        with open("/dev/full", "wb") as full:  # the kernel's own "no space left on device"
            full.write(b"x" * 8192)
            full.flush()
    except OSError as exc:
        disk_full = exc
    assert failure_text(disk_full).startswith("Ổ đĩa máy chủ đã đầy")
    import sqlite3

    sqlite_full = sqlite3.OperationalError("database or disk is full")
    assert failure_text(sqlite_full).startswith("Ổ đĩa máy chủ đã đầy")
