"""The server signs in a process of its own (app/signing/worker.py): the copy it makes there is the same
genuine copy (a revoked certificate's refusal: tests/integration/test_revoked_certificates.py)."""
from __future__ import annotations

import pytest

from app import certification_service as service
from app import files
from app.signing import worker
from tests.support.workflow import signed_dossier_ready, user_named


@pytest.fixture
def signing_process():
    worker.start(1)
    yield
    worker.stop()


def test_a_copy_signed_and_sealed_in_the_signing_process_verifies(demo_db, pki_services, signing_process,
                                                                 monkeypatch):
    sent = []
    submit = worker._submit
    monkeypatch.setattr(worker, "_submit", lambda function, *args: sent.append(function.__name__)
                        or submit(function, *args))
    dossier_id = signed_dossier_ready(pages=2)
    service.sign(user_named("lanhdao"), dossier_id)
    entries = service.seal(user_named("vanthu"), dossier_id)
    # the copy was built and both signatures made in the process, not in this thread
    assert sent.count("build_copy_pdf") == 1 and sent.count("_sign_in_worker") == 2
    assert {"page_sources", "copy_facts"} <= set(sent)  # the copy's pages and facts are read there too
    result = service.verify_bytes(files.read_bytes(entries[0].file_sha256))
    assert result.status == "valid", result.to_dict()
    assert {s.role for s in result.signatures} == {"leader", "office"}
