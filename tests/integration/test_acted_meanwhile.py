"""Someone acts on a dossier while its copy is being signed or sealed (no lock holds it meanwhile): the
signature just made is discarded with a Vietnamese message, nothing is recorded, no number is used."""
import pytest
from sqlmodel import select

from app.db import UNITS, session_scope, write_scope
from app.signing import certification_service as service
from app.signing import sign_seal
from domain import certification, workflow
from domain.dossiers import WorkflowError
from domain.models import Dossier, Original, RegisterCounter, RegisterEntry
from tests.support.workflow import signed_dossier_ready, user_named


def returned_meanwhile(monkeypatch, name: str, dossier_id: int, by: str) -> None:
    """sign_seal.<name> (the signing) first lets `by` return the dossier for correction."""
    real = getattr(sign_seal, name)

    def signing(*args, **kwargs):
        with write_scope() as session:  # as the runner does for «Trả lại»
            certification.return_for_correction(session, user_named(by), dossier_id,
                                                "Trang 2 bị mờ, đề nghị scan lại.")
        return real(*args, **kwargs)

    monkeypatch.setattr(sign_seal, name, signing)


def test_a_dossier_returned_while_the_leader_signs_keeps_no_signature(demo_db, monkeypatch):
    dossier_id = signed_dossier_ready(pages=1)
    returned_meanwhile(monkeypatch, "sign_file_as_leader", dossier_id, "lanhdao")
    with pytest.raises(WorkflowError, match="đã được người khác xử lý trong lúc ký"):
        service.sign(UNITS, user_named("lanhdao"), dossier_id)
    with session_scope() as session:
        assert session.get(Dossier, dossier_id).state == workflow.RETURNED
        signed = session.exec(select(Original.signed_sha256).where(Original.dossier_id == dossier_id)).one()
        assert signed is None


def test_a_dossier_returned_while_it_is_sealed_uses_no_number(demo_db, monkeypatch):
    dossier_id, other = signed_dossier_ready(pages=1), signed_dossier_ready(pages=1)
    for i in (dossier_id, other):
        service.sign(UNITS, user_named("lanhdao"), i)
    with monkeypatch.context() as patch:
        returned_meanwhile(patch, "seal_file_as_office", dossier_id, "vanthu")
        with pytest.raises(WorkflowError, match="Hồ sơ đã được xử lý bởi người khác"):
            service.seal(UNITS, user_named("vanthu"), dossier_id)
    with session_scope() as session:
        assert session.get(Dossier, dossier_id).state == workflow.RETURNED
        assert session.exec(select(RegisterEntry)).all() == []
        counter = session.exec(select(RegisterCounter)).one()
        assert (counter.last_number, counter.sealing_by) == (0, None)  # released
    assert [e.number for e in service.seal(UNITS, user_named("vanthu"), other)] == [1]
