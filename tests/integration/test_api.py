"""The open API as a bank's or a province's script meets it: a key, the same verdict as the public page,
refusals as problem details in Vietnamese, revoked and rotated keys, the rate limit, one office's dossiers."""
from __future__ import annotations

import asyncio
import hashlib
import json

import pytest
from sqlmodel import select

from app.api.security import LIMITER
from app.db import session_scope, write_scope
from app.verification.public_verify import verify_by_code
from domain import api_clients
from domain.models import ApiCall, ApiClient
from tests.support.api import api_http, issued_copy, new_client
from tests.support.workflow import user_named

PROBLEM = "application/problem+json"
PDF = {"Content-Type": "application/pdf"}


@pytest.fixture(autouse=True)
def fresh_limits():
    LIMITER.reset()
    yield
    LIMITER.reset()


async def test_a_bank_verifies_a_copy_by_code_and_by_upload_with_the_public_pages_verdict(demo_db):
    code, verify_code, pdf = await asyncio.to_thread(issued_copy)  # signing runs its own loop
    key = new_client(["verify"]).key
    async with api_http(key) as http:
        by_code = await http.get(f"/copies/{verify_code}")
        by_upload = await http.post("/verifications", content=pdf, headers=PDF)
    assert by_code.status_code == 200 and by_upload.status_code == 200
    public = verify_by_code(verify_code).to_dict()
    for answer in (by_code.json(), by_upload.json()):
        assert answer["status"] == "valid" and answer["valid"] is True
        assert answer["certification_number"] == public["certification_number"]
        assert answer["book"] == public["book"] and answer["office"] == public["office"]
        assert answer["requester"] == public["requester"]  # shortened, as the page shows it
        assert {s["role"] for s in answer["signers"]} == {"leader", "office"}
        assert all(s["valid"] for s in answer["signers"]) and answer["level"]
        assert answer["sha256"] == hashlib.sha256(pdf).hexdigest()
        text = json.dumps(answer, ensure_ascii=False)
        assert "001099012345" not in text and "0987654321" not in text and "Nguyễn Văn An" not in text
    with session_scope() as session:
        calls = session.exec(select(ApiCall).order_by(ApiCall.id)).all()
    assert [(c.method, c.path, c.status) for c in calls][-2:] == [
        ("GET", f"/api/v1/copies/{verify_code}", 200), ("POST", "/api/v1/verifications", 200)]
    assert all(c.client_id is not None for c in calls[-2:])


async def test_no_key_a_wrong_key_and_a_revoked_key_are_refused_in_vietnamese(demo_db):
    issued = new_client(["verify"])
    async with api_http() as http:
        missing = await http.get("/copies/ABC")
    async with api_http(issued.key[:-2] + "xx") as http:
        wrong = await http.get("/copies/ABC")
    with write_scope() as session:
        api_clients.revoke_client(session, user_named("admin"), issued.client_id)
    async with api_http(issued.key) as http:
        revoked = await http.get("/copies/ABC")
    for answer in (missing, wrong, revoked):
        assert answer.status_code == 401 and answer.headers["content-type"] == PROBLEM
        assert answer.json()["title"] == "Chưa xác thực: thiếu hoặc sai khóa API"
    assert "thu hồi" in revoked.json()["detail"]


async def test_a_rotated_key_replaces_the_old_one_at_once(demo_db):
    issued = new_client(["verify"])
    with write_scope() as session:
        fresh = api_clients.rotate_key(session, user_named("admin"), issued.client_id)
    async with api_http(issued.key) as http:
        assert (await http.get("/copies/ABC")).status_code == 401
    async with api_http(fresh.key) as http:
        assert (await http.get("/copies/ABC")).status_code == 404  # known key, unknown copy
    with session_scope() as session:
        stored = session.get(ApiClient, issued.client_id)
    assert stored.key_hash == hashlib.sha256(fresh.key.encode()).hexdigest()  # only the digest is kept


async def test_past_its_rate_a_client_gets_429_with_retry_after(db_url):
    key = new_client(["verify"], rate=3).key
    async with api_http(key) as http:
        answers = [await http.get("/copies/ABC") for _ in range(4)]
    assert [a.status_code for a in answers] == [404, 404, 404, 429]
    assert 1 <= int(answers[-1].headers["Retry-After"]) <= 60
    assert answers[-1].headers["content-type"] == PROBLEM
    assert answers[-1].json()["title"] == "Vượt quá số lần gọi cho phép"


async def test_bad_inputs_get_problem_details_never_a_500(demo_db):
    key = new_client(["verify"]).key
    async with api_http(key) as http:
        not_pdf = await http.post("/verifications", content=b"hello", headers=PDF)
        wrong_type = await http.post("/verifications", content=b"{}",
                                     headers={"Content-Type": "application/json"})
        empty = await http.post("/verifications", content=b"", headers=PDF)
        too_long = await http.get("/copies/" + "A" * 40)
        no_scope = await http.get("/dossiers")
        line_break = await http.get("/copies/A%0AB")  # once fell through to the web app's HTML 404
    answers = (not_pdf, wrong_type, empty, too_long, no_scope, line_break)
    assert [a.status_code for a in answers] == [422, 415, 400, 422, 403, 422]
    for answer in answers:
        assert answer.headers["content-type"] == PROBLEM and answer.json()["title"]


async def test_the_provinces_system_reads_its_offices_dossiers_history_and_result(db_url):
    code, verify_code, pdf = await asyncio.to_thread(issued_copy)  # signing runs its own loop
    key = new_client(["read_dossiers"]).key
    async with api_http(key) as http:
        page = (await http.get("/dossiers", params={"since": 0})).json()
        detail = (await http.get(f"/dossiers/{code}")).json()
        result = await http.get(f"/dossiers/{code}/result")
        later = (await http.get("/dossiers", params={"since": page["next_cursor"]})).json()
    assert [d["code"] for d in page["items"]] == [code] and later["items"] == []
    assert [e["type"] for e in detail["history"]] == ["received", "fee_paid", "submitted", "signed", "sealed"]
    assert detail["portal_status"] == {"code": "9", "label": "Đã có kết quả"}
    assert detail["results"][0]["verify_code"] == verify_code
    assert result.headers["content-type"] == "application/pdf" and result.content == pdf
    sealed = detail["history"][-1]["data"]["copies"][0]
    assert sealed["certification_number"] == detail["results"][0]["certification_number"]


def office_b_admin() -> None:
    """Office B with its administrator 'badmin' (who never signs in here)."""
    from domain.models import Account, Office, RightGrant, Unit
    from domain.rights import Right

    with write_scope() as s:
        unit = Unit(code="BK-UBND", name="UBND xã Bên Kia", name_folded="ubnd xa ben kia", kind="office")
        s.add(unit)
        s.flush()
        office = Office(unit_id=unit.id, name="UBND xã Bên Kia")
        s.add(office)
        s.flush()
        admin = Account(kind="official", username="badmin", full_name="Quản trị Bên Kia", name_folded="",
                        phone="0913000000", password_hash="-", unit_id=unit.id, office_id=office.id)
        s.add(admin)
        s.flush()
        s.add(RightGrant(account_id=admin.id, office_id=office.id, right=Right.ADMINISTER))
        s.commit()


async def test_another_offices_client_neither_lists_nor_reads_the_dossier(demo_db):
    code, _, _ = await asyncio.to_thread(issued_copy)
    office_b_admin()
    key = new_client(["read_dossiers"], admin="badmin").key
    async with api_http(key) as http:
        page = (await http.get("/dossiers")).json()
        one = await http.get(f"/dossiers/{code}")
        result = await http.get(f"/dossiers/{code}/result")
    assert page["items"] == []
    assert one.status_code == 404 and result.status_code == 404
    assert one.headers["content-type"] == PROBLEM
