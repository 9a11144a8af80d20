"""The register: search, entry detail, monthly print and export, year-end closing (issue 8)."""
from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader
from sqlmodel import select

from app import files
from app.db import UNITS, session_scope, write_scope
from app.register_print import close_year, monthly_pdf, monthly_xlsx
from app.signing import certification_service as service
from app.signing import resolve
from domain import register as reg
from domain.access import AccessDenied
from domain.dossiers import WorkflowError
from domain.models import AuditEvent, Office, RegisterCounter, Revocation, Unit
from tests.support.register import Spec, add_entries, local
from tests.support.workflow import signed_dossier_ready, user_named


def search(**kw) -> reg.SearchResult:
    with session_scope() as s:
        return reg.search(s, user_named("chungthuc"), reg.RegisterQuery(**kw))


@pytest.fixture
def entries(db_url):
    return add_entries([
        Spec("Nguyễn Văn An", "001099012345", "Giấy khai sinh", issued_at=local(2025, 3, 3)),
        Spec("Nguyễn Thị Bình", "001199000111", "Bằng tốt nghiệp THPT", issued_at=local(2025, 3, 15)),
        Spec("Trần Văn Cường", "002088000222", "Giấy khai sinh", issued_at=local(2025, 3, 31, 23)),
        Spec("Lê Đức Dũng", None, "Sổ hộ khẩu", issued_at=local(2025, 4, 1, 8)),
    ])


def numbers(result: reg.SearchResult) -> list[int]:
    return [r.number for r in result.rows]


def test_search_by_each_criterion(entries):
    assert numbers(search()) == [4, 3, 2, 1]
    assert numbers(search(number="2/ĐT")) == [2]
    assert numbers(search(number=" 3 ")) == [3]
    assert numbers(search(name="nguyen")) == [2, 1]
    assert numbers(search(name="NGUYỄN THỊ")) == [2]
    assert numbers(search(name="le duc")) == [4]
    assert numbers(search(name="van")) == []  # a prefix of the whole name
    assert numbers(search(id_number="0011 9900 0111")) == [2]
    assert numbers(search(title="giay khai")) == [3, 1]
    assert numbers(search(title="Bằng")) == [2]
    # local dates: 31/03 23:00 local is still March; 01/04 08:00 is April
    assert numbers(search(date_from=date(2025, 3, 15), date_to=date(2025, 3, 31))) == [3, 2]
    assert numbers(search(date_from=date(2025, 4, 1))) == [4]
    assert numbers(search(name="nguyen", title="giay")) == [1]
    assert search(name="%").total == 0 and search(title="_").total == 0


def test_search_refuses_bad_input_and_other_people(entries):
    with pytest.raises(reg.QueryError):
        search(number="abc")
    with pytest.raises(reg.QueryError):
        search(date_from=date(2025, 4, 2), date_to=date(2025, 4, 1))
    with pytest.raises(reg.QueryError):
        search(id_number="12a")
    with session_scope() as s, pytest.raises(AccessDenied):
        reg.search(s, _citizen(), reg.RegisterQuery())


def _citizen():
    from domain.access import load_current_user
    from domain.models import Account

    with session_scope() as s:
        account = s.exec(select(Account).where(Account.kind == "citizen")).first()
        return load_current_user(s, account)


def test_search_is_paged_on_the_server(db_url):
    add_entries([Spec(f"Người {i:02d}", issued_at=local(2025, 5, 1)) for i in range(45)])
    first = search(page=1)
    assert first.total == 45 and first.pages == 3 and numbers(first) == list(range(45, 25, -1))
    last = search(page=3)
    assert numbers(last) == [5, 4, 3, 2, 1]
    assert search(page=99).page == 3


def test_entry_detail_is_scoped_to_the_office_and_shows_history(entries):
    entry = entries[0]
    with write_scope() as s:
        s.add(AuditEvent(action="seal", target_type="dossier", target_id=str(entry.dossier_id),
                         summary="Cấp số 1/ĐT"))
        s.add(Revocation(entry_id=entry.id, by_id=user_named("vanthu").account_id, reason="Cấp nhầm"))
        unit = Unit(code="OTHER", name="UBND khác", kind="office")
        s.add(unit)
        s.flush()
        other = Office(unit_id=unit.id, name="UBND khác")
        s.add(other)
        s.commit()
        other_id = other.id
    other_entry = add_entries([Spec("Người khác")], office_id=other_id)[0]
    with session_scope() as s:
        detail = reg.entry_detail(s, user_named("chungthuc"), entry.id)
        assert detail.entry.number == 1 and detail.dossier.id == entry.dossier_id
        assert [e.summary for e in detail.events] == ["Cấp số 1/ĐT"]
        assert detail.revocation.reason == "Cấp nhầm" and detail.revoked_by
        assert reg.entry_detail(s, user_named("chungthuc"), other_entry.id) is None
        assert reg.entry_detail(s, user_named("chungthuc"), 999999) is None
    assert other_entry.number == 1  # each office numbers its own register
    assert [r.revoked for r in search(number="1").rows] == [True]


def test_monthly_pdf_and_xlsx_hold_the_months_rows(entries):
    user = user_named("chungthuc")
    with session_scope() as s:
        office = s.get(Office, user.office_id)
        rows = reg.month_rows(s, user, 2025, 3)
        assert [r.number for r in rows] == [1, 2, 3]
        assert [e.number for e in reg.month_entries(s, user, 2025, 3)] == [1, 2, 3]
    pdf = monthly_pdf(office, 2025, 3, rows)
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    text = "\n".join(p.extract_text() for p in reader.pages)
    for needle in ("SỔ CHỨNG THỰC BẢN SAO ĐIỆN TỬ TỪ BẢN CHÍNH", "Tháng 03 năm 2025", "Nguyễn Thị Bình",
                   "001199000111", "Bằng tốt nghiệp THPT", "31/03/2025", "Trang 1/1",
                   "Tháng 03/2025 có 3 việc chứng thực, từ số 1/ĐT đến số 3/ĐT", "-SCTĐT/BS",
                   "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"):
        assert needle in text, needle
    assert "Lê Đức Dũng" not in text
    wb = load_workbook(io.BytesIO(monthly_xlsx(office, 2025, 3, rows)))
    data = [r for r in wb.active.iter_rows(values_only=True)]
    body = [r for r in data if r and isinstance(r[0], str) and r[0].endswith("/ĐT")]
    assert [r[0] for r in body] == ["1/ĐT", "2/ĐT", "3/ĐT"]
    assert body[1][2:5] == ("Nguyễn Thị Bình", "001199000111", "Bằng tốt nghiệp THPT")
    assert any(r and r[0] == "Tháng 03/2025 có 3 việc chứng thực, từ số 1/ĐT đến số 3/ĐT." for r in data)


def test_a_long_month_breaks_pages_and_numbers_them(db_url):
    add_entries([Spec(f"Người yêu cầu số {i}", title="Giấy chứng nhận quyền sử dụng đất " * 2,
                      issued_at=local(2025, 6, 2)) for i in range(60)])
    user = user_named("chungthuc")
    with session_scope() as s:
        office = s.get(Office, user.office_id)
        rows = reg.month_rows(s, user, 2025, 6)
    reader = PdfReader(io.BytesIO(monthly_pdf(office, 2025, 6, rows)))
    n = len(reader.pages)
    assert n > 1
    assert f"Trang {n}/{n}" in reader.pages[-1].extract_text()
    assert reader.pages[-1].extract_text().startswith("Số chứng\nthực")  # heading repeated


def test_empty_month_prints_a_closing_line(db_url):
    user = user_named("chungthuc")
    with session_scope() as s:
        office = s.get(Office, user.office_id)
    text = PdfReader(io.BytesIO(monthly_pdf(office, 2024, 2, []))).pages[0].extract_text()
    assert "Tháng 02/2024 không có việc chứng thực nào." in text


def test_year_closing_signs_the_summary_and_refuses_new_numbers(db_url):
    first = signed_dossier_ready(pages=1)
    service.sign(UNITS, user_named("lanhdao"), first)
    entries = service.seal(UNITS, user_named("vanthu"), first)
    year = entries[0].year
    second = signed_dossier_ready(pages=1, title="Bằng tốt nghiệp")
    service.sign(UNITS, user_named("lanhdao"), second)

    with pytest.raises(AccessDenied):
        close_year(UNITS, user_named("chungthuc"), year, today=date(year, 12, 31))
    with pytest.raises(WorkflowError, match="31/12"):
        close_year(UNITS, user_named("vanthu"), year, today=date(year, 6, 1))
    counter = close_year(UNITS, user_named("vanthu"), year, today=date(year, 12, 31))
    assert counter.closed_total == 1 and counter.closed_at is not None
    with pytest.raises(WorkflowError, match="đã được khóa"):
        close_year(UNITS, user_named("vanthu"), year, today=date(year, 12, 31))

    pdf = files.read_bytes(counter.closing_sha256)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert f"NĂM {year}" in text and "có 1 việc chứng thực, từ số 1 đến số 1" in text
    reader = PdfFileReader(io.BytesIO(pdf))
    [sig] = reader.embedded_signatures
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=resolve.demo_pki().trust_roots()))
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    with session_scope() as s:
        office = s.get(Office, user_named("vanthu").office_id)
    assert office.name in status.signing_cert.subject.human_friendly

    with pytest.raises(WorkflowError, match="đã khóa"):
        service.seal(UNITS, user_named("vanthu"), second)
    with session_scope() as s:
        c = s.exec(select(RegisterCounter).where(RegisterCounter.year == year)).one()
        assert c.last_number == 1
        assert s.exec(select(AuditEvent).where(AuditEvent.action == "close_register")).first() is not None
