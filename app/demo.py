"""The demo office, seeded on an empty database in demo mode."""
from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from domain import audit
from domain.audit import SYSTEM
from domain.models import Account, Office, RightGrant, Unit
from domain.security import hash_password
from domain.text import fold

DEMO_PASSWORD = "demo1234"
OFFICE_NAME = "UBND phường Hoàn Kiếm (demo)"
ONE_STOP_NAME = "Bộ phận Một cửa UBND phường Hoàn Kiếm"

# username, full name, ID number, phone, unit code, title, rights
DEMO_OFFICIALS = [
    ("admin", "Phạm Quốc Quản", "001085000101", "0901000101", "HK-VP", None, ["administer"]),
    ("motcua", "Lê Thị Một", "001190000102", "0912345678", "HK-MOTCUA", None,
     ["collect_fee", "create_citizen_account"]),
    ("chungthuc", "Trần Văn Chứng", "001088000103", "0901000103", "HK-MOTCUA", None, ["create_copy"]),
    ("lanhdao", "Nguyễn Thị Lãnh", "001180000104", "0901000104", "HK-UBND", "Chủ tịch UBND phường",
     ["sign_copy"]),
    ("vanthu", "Hoàng Văn Thư", "001092000105", "0901000105", "HK-VP", None, ["seal_copy"]),
]
DEMO_CITIZEN = ("001099012345", "Nguyễn Văn An", "0987654321", date(1999, 3, 15), "Nam")


def is_empty(session: Session) -> bool:
    return session.exec(select(Account.id).limit(1)).first() is None


def seed_demo(session: Session) -> Office:
    """Create the demo office, its units, the demo officials and the demo citizen."""
    office_unit = Unit(code="HK-UBND", name=OFFICE_NAME, kind="office")
    session.add(office_unit)
    session.flush()
    units = {"HK-UBND": office_unit}
    for code, name, kind in [("HK-MOTCUA", ONE_STOP_NAME, "one_stop"),
                             ("HK-VP", "Văn phòng HĐND và UBND phường Hoàn Kiếm", "other")]:
        units[code] = Unit(code=code, name=name, kind=kind, parent_id=office_unit.id)
        session.add(units[code])
    for unit in units.values():
        unit.name_folded = fold(unit.name)
    office = Office(
        unit_id=office_unit.id,
        name=OFFICE_NAME,
        address="Số 1 phố Demo, phường Hoàn Kiếm, Hà Nội",
        leader_titles=["Chủ tịch UBND phường", "Phó Chủ tịch UBND phường"],
        signing_config={"kind": "demo", "key_id": "office-hk"},
    )
    session.add(office)
    session.flush()
    password_hash = hash_password(DEMO_PASSWORD)
    for username, name, id_number, phone, unit_code, title, rights in DEMO_OFFICIALS:
        account = Account(
            kind="official",
            username=username,
            full_name=name,
            name_folded=fold(name),
            id_number=id_number,
            phone=phone,
            email=f"{username}@demo.invalid",
            unit_id=units[unit_code].id,
            office_id=office.id,
            title=title,
            password_hash=password_hash,
        )
        if "sign_copy" in rights:
            account.signing_config = {"kind": "demo", "key_id": f"leader-{username}"}
        session.add(account)
        session.flush()
        for right in rights:
            session.add(RightGrant(account_id=account.id, office_id=office.id, right=right))
    id_number, name, phone, dob, sex = DEMO_CITIZEN
    session.add(Account(kind="citizen", username=id_number, full_name=name, name_folded=fold(name),
                        id_number=id_number, phone=phone, date_of_birth=dob, sex=sex,
                        email="nguyenvanan@demo.invalid", one_stop_unit_id=units["HK-MOTCUA"].id,
                        password_hash=password_hash))
    audit.record(session, SYSTEM, "seed_demo", target_type="office", target_id=office.id, office_id=office.id,
                 summary="Tạo dữ liệu demo")
    return office


def create_admin(session: Session, username: str, full_name: str, password: str, office_name: str) -> Account:
    """An administrator of the office named `office_name` (else of the first office); creates the office
    when there is none."""
    office = session.exec(select(Office).where(Office.name == office_name)).first() \
        or session.exec(select(Office).order_by(Office.id)).first()
    if office is None:
        unit = Unit(code="CQ-01", name=office_name, name_folded=fold(office_name), kind="office")
        session.add(unit)
        session.flush()
        office = Office(unit_id=unit.id, name=office_name)
        session.add(office)
        session.flush()
    account = Account(kind="official", username=username, full_name=full_name, name_folded=fold(full_name),
                      password_hash=hash_password(password), unit_id=office.unit_id, office_id=office.id)
    session.add(account)
    session.flush()
    session.add(RightGrant(account_id=account.id, office_id=office.id, right="administer"))
    audit.record(session, SYSTEM, "create_admin", target_type="account", target_id=account.id,
                 office_id=office.id, summary=f"Tạo quản trị viên {username}")
    return account
