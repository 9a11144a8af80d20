"""Issue 12 part A through the real server (User fixture), with two offices: office B's administrator never
reaches office A; an open page loses its powers the moment the right, the account or the session goes;
sessions rotate at sign-in, end on a password change or reset, time out when idle; sign-out takes a button."""
from __future__ import annotations

from datetime import timedelta

from nicegui import events
from nicegui.testing import User
from sqlmodel import select

from app.db import UNITS, session_scope, write_scope
from domain import workflow
from domain.models import Account, AuditEvent, Dossier, Office, RightGrant, Unit, UserSession
from domain.rights import Right
from domain.security import hash_password
from domain.text import fold
from tests.support.workflow import signed_dossier_ready
from tests.ui.admin_support import account, set_input

OFFICE_B = "UBND xã Bên Kia"
LOGIN_TEXT = "Tên đăng nhập, số định danh hoặc số điện thoại"


def add_office_b() -> int:
    """Office B with its own administrator 'badmin', leader 'blanhdao' and one-stop clerk 'bmotcua'."""
    with write_scope() as s:
        unit = Unit(code="BK-UBND", name=OFFICE_B, name_folded=fold(OFFICE_B), kind="office")
        s.add(unit)
        s.flush()
        office = Office(unit_id=unit.id, name=OFFICE_B)
        s.add(office)
        s.flush()
        for i, (username, right) in enumerate([("badmin", Right.ADMINISTER), ("blanhdao", Right.SIGN_COPY)]):
            official = Account(kind="official", username=username, full_name=f"Người Bên Kia {i}",
                               name_folded=fold(f"Người Bên Kia {i}"), phone=f"09130000{i:02d}",
                               password_hash=hash_password("demo1234"), unit_id=unit.id, office_id=office.id)
            s.add(official)
            s.flush()
            s.add(RightGrant(account_id=official.id, office_id=office.id, right=right))
        s.commit()
        return office.id


async def sign_in(user: User, login: str, password: str = "demo1234") -> None:
    await user.open("/login")
    user.find(marker="login").type(login)
    user.find(marker="password").type(password)
    user.find(marker="submit").click()
    await user.should_see(marker="user-name", retries=100)


def click_on_old_page(client, element) -> None:
    """Click a button of a tab the test has since navigated away from (the tab is still open)."""
    with client:
        for listener in element._event_listeners.values():
            if listener.type == "click":
                events.handle_event(
                    listener.handler, events.GenericEventArguments(sender=element, client=client, args=None)
                )


def state_of(dossier_id: int) -> str:
    with session_scope() as s:
        return s.get(Dossier, dossier_id).state


# --- 1. cross-office takeover --------------------------------------------------------------------

async def test_office_b_admin_cannot_reach_an_unassigned_leader_of_office_a(user: User):
    add_office_b()
    with write_scope() as s:  # the old hole: an official without a work unit was everyone's
        s.get(Account, account("lanhdao").id).unit_id = None
        s.commit()
    await sign_in(user, "badmin")
    await user.open("/admin/users?q=Nguyễn Thị Lãnh")
    await user.should_see(marker="not-found", retries=100)
    await user.should_not_see(marker="open-lanhdao")
    await user.open(f"/admin/users/{account('lanhdao').id}")
    await user.should_see("không thuộc cơ quan bạn quản trị", retries=100)
    await user.should_not_see(marker="reset-password")
    await user.should_not_see(marker="save-official")


async def test_an_official_created_without_a_unit_belongs_to_the_creating_office(user: User):
    office_b = add_office_b()
    await sign_in(user, "badmin")
    await user.open("/admin/users/new")
    set_input(user, "f-username", "bmoi")
    set_input(user, "f-full-name", "Người Mới Bên Kia")
    set_input(user, "f-id-number", "001190005555")
    set_input(user, "f-phone", "0912555666")
    user.find(marker="save-official").click()
    await user.should_see(marker="official-name", retries=100)
    assert account("bmoi").office_id == office_b and account("bmoi").unit_id is None
    with session_scope() as s:
        admin_a = load(s, "admin")
        from domain.administration import search_officials

        assert search_officials(s, admin_a, "bmoi").total == 0


def load(session, username: str):
    from domain.access import load_current_user

    return load_current_user(session, session.exec(select(Account).where(Account.username == username)).one())


# --- 3. stale powers -----------------------------------------------------------------------------

async def open_sign_page(user: User) -> tuple[int, object, object]:
    dossier_id = signed_dossier_ready(pages=1)
    await sign_in(user, "lanhdao")
    await user.open(f"/queue/sign/{dossier_id}")
    await user.should_see(marker="do-action", retries=100)
    return dossier_id, user.client, user.find(marker="do-action").elements.pop()


async def test_sign_is_refused_once_the_right_is_withdrawn(user: User):
    dossier_id, _, _ = await open_sign_page(user)
    with write_scope() as s:
        for grant in s.exec(select(RightGrant).where(RightGrant.right == Right.SIGN_COPY)):
            s.delete(grant)
        s.commit()
    user.find(marker="do-action").click()
    await user.should_see("Bạn không còn quyền thực hiện thao tác này", retries=100)
    assert state_of(dossier_id) == workflow.SUBMITTED


async def test_sign_is_refused_once_the_account_is_disabled(user: User):
    dossier_id, _, _ = await open_sign_page(user)
    with write_scope() as s:
        s.get(Account, account("lanhdao").id).status = "disabled"
        s.commit()
    user.find(marker="do-action").click()
    await user.should_see(LOGIN_TEXT, retries=100)
    assert any("vô hiệu hóa" in m for m in user.notify.messages)
    assert state_of(dossier_id) == workflow.SUBMITTED


async def test_sign_is_refused_after_sign_out_in_another_tab(user: User):
    dossier_id, sign_tab, button = await open_sign_page(user)
    await user.open("/")  # another tab of the same browser
    user.find(marker="logout").click()
    await user.should_see(LOGIN_TEXT, retries=100)
    click_on_old_page(sign_tab, button)
    for _ in range(100):
        if any("đăng xuất" in m for m in user.notify.messages):
            break
        await __import__("asyncio").sleep(0.05)
    assert any("đăng xuất" in m for m in user.notify.messages)
    assert state_of(dossier_id) == workflow.SUBMITTED


async def test_seal_is_refused_once_the_right_is_withdrawn(user: User):
    import asyncio

    from app.signing import certification_service as service
    from tests.support.workflow import user_named

    dossier_id = signed_dossier_ready(pages=1)
    await asyncio.to_thread(service.sign, UNITS, user_named("lanhdao"), dossier_id)
    await sign_in(user, "vanthu")
    await user.open(f"/queue/seal/{dossier_id}")
    await user.should_see(marker="do-action", retries=100)
    with write_scope() as s:
        for grant in s.exec(select(RightGrant).where(RightGrant.right == Right.SEAL_COPY)):
            s.delete(grant)
        s.commit()
    user.find(marker="do-action").click()
    await user.should_see("Bạn không còn quyền thực hiện thao tác này", retries=100)
    assert state_of(dossier_id) == workflow.SIGNED


async def test_the_desk_lookup_is_refused_once_the_right_is_withdrawn(user: User):
    await sign_in(user, "motcua")
    await user.open("/citizen-accounts/new")
    with write_scope() as s:
        for grant in s.exec(select(RightGrant).where(RightGrant.right == Right.CREATE_CITIZEN_ACCOUNT)):
            s.delete(grant)
        s.commit()
    user.find(marker="lookup-id").type("001099012345")
    user.find(marker="lookup").click()
    await user.should_see("Bạn không còn quyền thực hiện thao tác này", retries=100)
    await user.should_not_see("đã có tài khoản")


# --- 4. sessions ---------------------------------------------------------------------------------

async def test_sign_in_gives_the_browser_a_new_session_cookie(user: User, create_user):
    await user.open("/login")
    before = user.http_client.cookies.get("session")
    await sign_in(user, "chungthuc")
    assert user.http_client.cookies.get("session") != before
    thief = create_user()  # someone who copied the tablet's cookie before the clerk signed in
    thief.http_client.cookies.set("session", before)
    await thief.open("/")
    await thief.should_see(LOGIN_TEXT)
    await thief.should_not_see("Trần Văn Chứng")


async def test_password_change_ends_the_other_sessions(user: User, create_user):
    await sign_in(user, "chungthuc")
    other = create_user()
    await sign_in(other, "chungthuc")
    await other.open("/account/password")
    other.find(marker="old").type("demo1234")
    other.find(marker="new").type("Matkhau-moi-99")
    other.find(marker="again").type("Matkhau-moi-99")
    other.find(marker="save-password").click()
    await other.should_see("Các phiên đăng nhập khác của tài khoản đã kết thúc", retries=100)
    await other.open("/")
    await other.should_see(marker="user-name")  # the session that changed it stays
    await user.open("/")
    await user.should_see(LOGIN_TEXT)


async def test_password_reset_by_otp_ends_every_session(user: User):
    from domain import otp
    from domain.clock import utcnow
    from domain.password_reset import OTP_PURPOSE, reset_password

    await sign_in(user, "001099012345")
    with write_scope() as s:  # what /forgot-password does, with the code the SMS carries
        issued = otp.issue(s, "0987654321", OTP_PURPOSE, "001099012345", utcnow())
        s.commit()
    with write_scope() as s:
        reset_password(s, "001099012345", "0987654321", issued.code, "Matkhau-moi-77", "127.0.0.1", utcnow())
    await user.open("/")
    await user.should_see(LOGIN_TEXT)


async def test_an_idle_session_ends_after_the_idle_limit(user: User):
    await sign_in(user, "chungthuc")
    with write_scope() as s:
        for row in s.exec(select(UserSession)):
            row.last_seen_at = row.last_seen_at - timedelta(minutes=31)
        s.commit()
    await user.open("/")
    await user.should_see("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.")


async def test_a_link_to_logout_does_not_sign_out_the_button_does(user: User):
    await sign_in(user, "chungthuc")
    await user.open("/logout")
    await user.open("/")
    await user.should_see(marker="user-name")
    await user.open("/logout")
    user.find(marker="sign-out").click()
    await user.should_see(LOGIN_TEXT, retries=100)
    with session_scope() as s:
        assert all(row.ended_at is not None for row in s.exec(select(UserSession)))


# --- 5. admin pages by office --------------------------------------------------------------------

async def test_office_b_admin_sees_only_office_b_in_audit_users_and_units(user: User, create_user):
    add_office_b()
    clerk = create_user()
    await sign_in(clerk, "chungthuc")  # office A sign-ins, with names and addresses
    await sign_in(user, "badmin")
    await user.open("/admin/audit")
    await user.should_see(marker="audit-event", retries=100)
    await user.should_not_see("Trần Văn Chứng")
    with session_scope() as s:
        assert s.exec(select(AuditEvent).where(AuditEvent.actor_name == "Trần Văn Chứng")).first() is not None
    await user.open("/admin/users?q=")
    await user.should_see("Người Bên Kia 1", retries=100)
    await user.should_not_see("Trần Văn Chứng")
    await user.should_not_see("Lê Thị Một")
    await user.open("/admin/units")
    await user.should_see("BK-UBND", retries=100)
    await user.should_not_see("HK-MOTCUA")
