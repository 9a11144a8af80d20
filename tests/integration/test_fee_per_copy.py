"""The 200.000 đ cap is per copy («mức thu tối đa không quá 200.000 đồng/bản»), never per dossier: through
intake (save_original) and the cashier's payment, which must be exactly the fee due."""
from __future__ import annotations

import pytest

from app.db import write_scope
from domain import dossiers, payments
from domain.dossiers import WorkflowError
from tests.support.workflow import user_named

CHECKS = ["not_altered", "legible", "not_secret", "lawful_content"]


def _dossier_with(originals: list[tuple[int, int]]) -> int:
    """A dossier with originals of (pages, copies), entered by the clerk."""
    clerk = user_named("chungthuc")
    with write_scope() as session:
        dossier = dossiers.open_dossier(session, clerk, dossiers.RequesterData(
            name="Nguyễn Văn An", id_number="001099012345", phone="0987654321"))
    for i, (pages, copies) in enumerate(originals):
        with write_scope() as session:
            dossiers.save_original(session, clerk, dossier.id, dossiers.OriginalData(
                title=f"Luận văn {i + 1}", issuer="Trường ĐH", pages=pages, copies=copies, checks=CHECKS))
    return dossier.id


def _cashier_takes(dossier_id: int, amount: int, receipt: str):
    with write_scope() as session:
        return payments.record_payment(session, user_named("motcua"), dossier_id, "cash", amount, receipt)


@pytest.mark.parametrize("originals", [[(150, 1), (150, 1)], [(150, 2)]],
                         ids=["two-originals", "one-original-two-copies"])
def test_two_150_page_copies_cost_304000_not_the_cap(demo_db, originals):
    dossier_id = _dossier_with(originals)
    with write_scope() as session:
        assert dossiers.dossier_fee(session, dossier_id) == 304_000  # 2×2.000 + 148×1.000, twice
    with pytest.raises(WorkflowError, match=r"304\.000 đồng"):
        _cashier_takes(dossier_id, 200_000, "BL-CAP-1")
    assert _cashier_takes(dossier_id, 304_000, "BL-CAP-2").amount == 304_000


def test_one_copy_of_a_long_original_is_capped(demo_db):
    dossier_id = _dossier_with([(250, 1), (3, 1)])
    with write_scope() as session:
        assert dossiers.dossier_fee(session, dossier_id) == 200_000 + 5_000
