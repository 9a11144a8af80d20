"""One office never reaches another's records through the action runner (app.web.actions.execute, what every
page's button goes through): for each kind of record a page names, an official of office A is refused on
office B's record before the use case runs, and reaches A's own (domain.office_scope)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from app.db import UNITS, session_scope, write_scope
from app.web.actions import STEPS, RightWithdrawn, execute, execute_public
from domain import accounts
from domain.access import AccessDenied
from domain.models import Account, Appointment, Office, OfficeDay, RightGrant, ScanPage, Unit
from domain.office_scope import OTHER_OFFICE, record_office
from tests.support.register import Spec, add_entries, demo_office_id

KINDS = ("dossier", "original", "scan_page", "entry", "appointment", "office_day", "account", "unit")


def _records(office_id: int, tag: str) -> dict[str, int]:
    """One record of every kind in the office; the unit is two levels under the office's own unit."""
    entry = add_entries([Spec(f"Người {tag}")], office_id=office_id)[0]
    with write_scope() as s:
        office = s.get(Office, office_id)
        citizen = s.exec(select(Account).where(Account.kind == "citizen")).first()
        page = ScanPage(original_id=entry.original_id, file_sha256=entry.file_sha256)
        slot = Appointment(citizen_id=citizen.id, office_id=office_id, day=date(2026, 3, 9), slot="08:30")
        day = OfficeDay(office_id=office_id, day=date(2026, 3, 10), kind="off")
        section = Unit(code=f"SEC-{tag}", name=f"Bộ phận {tag}", parent_id=office.unit_id)
        s.add_all([page, slot, day, section])
        s.flush()
        team = Unit(code=f"TEAM-{tag}", name=f"Tổ {tag}", parent_id=section.id)
        s.add(team)
        s.flush()
        official = Account(username=f"canbo-{tag}", full_name=f"Cán bộ {tag}", office_id=office_id)
        s.add(official)
        s.commit()
        return {"dossier": entry.dossier_id, "original": entry.original_id, "scan_page": page.id,
                "entry": entry.id, "appointment": slot.id, "office_day": day.id, "account": official.id,
                "unit": team.id}


def _office_b() -> int:
    with write_scope() as s:
        unit = Unit(code="XA-B", name="UBND xã B", kind="office")
        s.add(unit)
        s.flush()
        office = Office(unit_id=unit.id, name="UBND xã B")
        s.add(office)
        s.commit()
        return office.id


@pytest.fixture
def two_offices(demo_db):
    a, b = demo_office_id(), _office_b()
    with write_scope() as s:
        token = accounts.sign_in(s, "chungthuc", "demo1234", client_addr="10.0.0.1").token
    return token, a, _records(a, "a"), b, _records(b, "b")


def _run(token: str, record: tuple[str, int | None]) -> list:
    reached = []
    execute(token, "10.0.0.1", lambda session, user: reached.append(user.office_id), (), {}, None, record,
            "write")
    return reached


def test_an_official_is_refused_on_another_offices_record_of_every_kind(two_offices):
    token, a, mine, b, theirs = two_offices
    for kind in KINDS:
        with pytest.raises(AccessDenied) as refused:
            _run(token, (kind, theirs[kind]))
        assert refused.value.message == OTHER_OFFICE, kind
        assert _run(token, (kind, mine[kind])) == [a], kind
        assert _run(token, (kind, 999999)) == [a], kind  # no such record: the use case says so
    assert _run(token, ("dossier", None)) == [a]
    with session_scope() as s:
        citizen = s.exec(select(Account).where(Account.kind == "citizen")).first()
        assert record_office(s, "account", citizen.id) is None
        assert record_office(s, "unit", theirs["unit"]) == b
    with write_scope() as s:  # two units naming each other as parent, under no office: no office, no hang
        first, second = Unit(code="LOOP-1", name="Vòng 1"), Unit(code="LOOP-2", name="Vòng 2")
        s.add_all([first, second])
        s.flush()
        first.parent_id, second.parent_id = second.id, first.id
        s.commit()
        assert record_office(s, "unit", first.id) is None
    with session_scope() as s, pytest.raises(ValueError, match="'payment'"):
        record_office(s, "payment", 1)


def _token(login: str) -> str:
    with write_scope() as s:
        return accounts.sign_in(s, login, "demo1234", client_addr="10.0.0.1").token


def test_a_power_is_checked_in_the_office_in_use_before_the_use_case_acts(two_offices):
    """Revoking an issued copy is the leader's power (sign_copy), held in the leader's own office only: the
    clerk and a citizen are refused with the plain words; the leader revokes; the user the use case gets
    is the office in use, its name and only the rights held there (domain.access.load_current_user)."""
    from domain import revocation
    from domain.models import Revocation

    clerk, a, mine, b, theirs = two_offices
    revoke = (revocation.revoke, (mine["entry"], "Cấp nhầm"), {}, None, None, "write")
    for token in (clerk, _token("001099012345")):
        with pytest.raises(AccessDenied) as refused:
            execute(token, "10.0.0.1", *revoke)
        assert refused.value.message == "Bạn không có quyền thực hiện thao tác này."
    with write_scope() as s:  # the leader also seals in office B: that right is not held in office A
        leader_id = s.exec(select(Account.id).where(Account.username == "lanhdao")).one()
        s.add(RightGrant(account_id=leader_id, office_id=b, right="seal_copy"))
        s.exec(select(Account).where(Account.username == "001099012345")).one().must_change_password = True
        s.commit()
    leader = _token("lanhdao")
    seen = execute(leader, "10.0.0.1", lambda session, user: user, (), {}, None, None, "read")
    with session_scope() as s:
        office = s.get(Office, a)
        assert (seen.office_id, seen.office_name, seen.offices) == (a, office.name, ((a, office.name),))
    assert "sign_copy" in seen.rights and "seal_copy" not in seen.rights and not seen.is_citizen
    with session_scope() as s:
        account = s.exec(select(Account).where(Account.username == "lanhdao")).one()
        assert (seen.account_id, seen.username, seen.full_name, seen.title, seen.must_change_password) == (
            account.id, "lanhdao", account.full_name, account.title, account.must_change_password)
        citizen = s.exec(select(Account).where(Account.username == "001099012345")).one()
    # a citizen's session reaches a citizen's page action, not an official's
    me = execute(_token("001099012345"), "10.0.0.1", lambda session, user: user, (), {}, None, None, "read",
                 "citizen")
    assert (me.account_id, me.username, me.full_name, me.is_citizen, me.kind) == (
        citizen.id, "001099012345", citizen.full_name, True, "citizen")
    assert (me.office_id, me.rights) == (None, frozenset())
    assert me.must_change_password is True  # a temporary password given at the desk
    with pytest.raises(RightWithdrawn):
        execute(_token("001099012345"), "10.0.0.1", lambda session, user: user, (), {}, None, None, "read",
                "official")
    execute(leader, "10.0.0.1", *revoke)
    with session_scope() as s:
        reasons = s.exec(select(Revocation.reason).where(Revocation.entry_id == mine["entry"])).all()
    assert reasons == ["Cấp nhầm"]


def test_each_kind_of_run_hands_its_use_case_one_shape(demo_db):
    """run_action's use case gets (unit of work, user); run_steps' gets the unit-of-work factory and the
    user, checked at the click like any other; run_public's gets (unit of work, visitor at the address)."""
    leader = _token("lanhdao")
    units, user = execute(leader, "10.0.0.7", lambda units, user: (units, user), (), {}, "sign_copy", None,
                          STEPS)
    assert units is UNITS and (user.username, user.client_addr) == ("lanhdao", "10.0.0.7")
    with pytest.raises(RightWithdrawn):
        execute(leader, "10.0.0.7", lambda units, user: None, (), {}, "administer", None, STEPS)
    visitor, code = execute_public("10.0.0.8", lambda session, visitor, code: (visitor, code), ("x",), {})
    assert (visitor.account_id, visitor.client_addr, code) == (None, "10.0.0.8", "x")
