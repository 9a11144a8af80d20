"""Access matrix: every page and download route (enumerated from app.routes, so a new page without a rule
fails here) × every persona — the five demo rights in their own office, the same five rights in a second
office, the citizen whose copy it is, another citizen, and a signed-out visitor — plus the use-case actions.

Only the intended cells succeed; the others get the sign-in page, a refusal («Bạn không có quyền truy cập
trang này» / «Không tìm thấy…») or a 404, and never office A's data (its requester's name and dossier code
are searched on every page a persona should not see them on). Run with -s to print the number of cells."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from nicegui import app
from nicegui.testing import User
from sqlmodel import select

from app.db import UNITS, dispose_engine, session_scope, write_scope
from app.settings import get_settings, reload_settings
from domain.models import Account, Dossier, Office, RightGrant, Unit
from domain.rights import Right
from domain.security import hash_password
from domain.text import fold
from tests.ui.test_sign_in_pages import sign_in

# Access rules do not depend on the engine, and the matrix copies one prepared SQLite data folder per
# persona to stay fast: SQLite only (the pages run on PostgreSQL in the other page tests).
pytestmark = pytest.mark.sqlite_only

SECRET_NAME = "Đinh Thị Kín Đáo"  # office A's requester; citizen 001099012345 is the one it belongs to
SECRET_B = "Trịnh Văn Bên Bê"  # office B's requester: no one outside office B may see it
OTHER_CITIZEN = "001299000999"
OWN = {"admin": {Right.ADMINISTER}, "motcua": {Right.COLLECT_FEE, Right.CREATE_CITIZEN_ACCOUNT},
       "chungthuc": {Right.CREATE_COPY}, "lanhdao": {Right.SIGN_COPY}, "vanthu": {Right.SEAL_COPY}}
OTHER_OFFICE = "UBND xã Kiểm Thử (văn phòng B)"
DENIED_TEXTS = (
    "Bạn không có quyền truy cập trang này",
    "Không tìm thấy",
    "không tìm thấy",
    "thuộc cơ quan khác",
    "không tồn tại hoặc không thuộc cơ quan",
)


@dataclass(frozen=True)
class Persona:
    key: str
    login: str | None  # None: signed out
    kind: str  # official | citizen | anon
    office: str = ""  # A | B for officials
    rights: frozenset = frozenset()
    owns_copy: bool = False


PERSONAS = ([Persona(f"A-{u}", u, "official", "A", frozenset(r)) for u, r in OWN.items()]
            + [Persona(f"B-{u}", f"b{u}", "official", "B", frozenset(r)) for u, r in OWN.items()]
            + [Persona("citizen-own", "001099012345", "citizen", owns_copy=True),
               Persona("citizen-other", OTHER_CITIZEN, "citizen"),
               Persona("signed-out", None, "anon")])

# Expected access per route: (who may open it, whether it shows one of office A's objects by id).
#   public | signed_in | official | citizen | a Right  — detail=True: only office A's officials (or the
#   citizen owning the copy, for downloads) may see it; others of the same right get a refusal / 404.
RULES: dict[str, tuple[str, bool]] = {
    "/": ("signed_in", False),
    "/login": ("public", False),
    "/logout": ("skip", False),  # asks; the button signs out: tests/ui/test_trust_boundaries.py
    "/login/done": (
        "skip",
        False,
    ),  # ends a sign-in with its one-time ticket: tests/ui/test_trust_boundaries.py
    "/account/password": ("signed_in", False),
    "/forgot-password": ("public", False),
    "/healthz": ("public", False),
    "/verify": ("public", False),
    "/verify/{code}": ("public", False),
    "/verify/{code}.json": ("public", False),
    "/verify/ca.pem": ("public", False),
    "/admin/api": (Right.ADMINISTER, False),
    "/admin/audit": (Right.ADMINISTER, False),
    "/admin/office": (Right.ADMINISTER, False),
    "/admin/sms": (Right.ADMINISTER, False),
    "/admin/units": (Right.ADMINISTER, False),
    "/admin/users": (Right.ADMINISTER, False),
    "/admin/users/new": (Right.ADMINISTER, False),
    "/admin/users/{account_id}": (Right.ADMINISTER, True),
    "/my/appointments": ("citizen", False),
    "/my/copies": ("citizen", False),
    "/office/appointments": (Right.CREATE_COPY, False),
    "/citizen-accounts": (Right.CREATE_CITIZEN_ACCOUNT, False),
    "/citizen-accounts/new": (Right.CREATE_CITIZEN_ACCOUNT, False),
    "/dossier/{dossier_id}": (Right.CREATE_COPY, True),
    "/fees": (Right.COLLECT_FEE, False),
    "/handled": ("official", False),
    "/handled/{dossier_id}": ("official", True),
    "/intake": (Right.CREATE_COPY, False),
    "/intake/new": (Right.CREATE_COPY, False),
    "/queue/sign": (Right.SIGN_COPY, False),
    "/queue/sign/{dossier_id}": (Right.SIGN_COPY, True),
    "/queue/seal": (Right.SEAL_COPY, False),
    "/queue/seal/{dossier_id}": (Right.SEAL_COPY, True),
    "/register": ("official", False),
    "/register/entry/{entry_id}": ("official", True),
    "/stats": ("official", False),
    "/download/copy/{entry_id}": ("download", True),
    "/static/app.css": ("public", False),
    "/static/icons.woff2": ("public", False),
}
NON_PAGE = {
    "/healthz",
    "/verify/{code}.json",
    "/verify/ca.pem",
    "/download/copy/{entry_id}",
    "/static/app.css",
    "/static/icons.woff2",
}


def app_paths() -> list[str]:
    """Every GET route of the application (not NiceGUI's own assets)."""
    paths = []
    for route in app.routes:
        path = getattr(route, "path", "")
        if not path or path.startswith("/_nicegui") or path == "/favicon.ico":
            continue
        if "GET" in (getattr(route, "methods", None) or {"GET"}):
            paths.append(path)
    return sorted(set(paths))


def expected(rule: str, detail: bool, p: Persona) -> str:
    """ok | login | refused"""
    if rule == "public":
        return "ok"
    if p.kind == "anon":
        return "login"
    if rule == "download":
        return "ok" if (p.kind == "official" and p.office == "A") or p.owns_copy else "refused"
    if rule == "signed_in":
        allowed = True
    elif rule == "citizen":
        allowed = p.kind == "citizen"
    elif rule == "official":
        allowed = p.kind == "official"
    else:
        allowed = p.kind == "official" and rule in p.rights
    if allowed and detail and p.office != "A":
        return "refused"
    return "ok" if allowed else "refused"


def may_see_office_a(p: Persona, path: str, outcome: str) -> bool:
    if outcome != "ok":
        return False
    if p.kind == "official":
        return p.office == "A"
    return p.owns_copy and path in ("/", "/my/copies")


# --- data: office A's dossiers (built once, copied into each test's DATA_DIR) -------------------------------

_TEMPLATE: dict = {}


def _ready(name: str) -> int:
    from app import files
    from domain import dossiers, payments
    from tests.support.workflow import scan_page_jpeg, user_named

    clerk, cashier = user_named("chungthuc"), user_named("motcua")
    with write_scope() as session:
        dossier = dossiers.open_dossier(session, clerk, dossiers.RequesterData(
            name=name, id_number="001099012345", phone="0987654321", email="kin@example.test"))
    with write_scope() as session:
        original = dossiers.save_original(session, clerk, dossier.id, dossiers.OriginalData(
            title="Giấy khai sinh", issuer="UBND phường Hoàn Kiếm", pages=1,
            checks=["not_altered", "legible", "not_secret", "lawful_content"]))
    with write_scope() as session:
        sha = files.store_bytes(scan_page_jpeg("trang 1", dpi=60), "image/jpeg", session)
        session.commit()
    with write_scope() as session:
        dossiers.add_scan_pages(session, clerk, original.id, sha, 1)
    with write_scope() as session:
        payments.record_payment(
            session,
            cashier,
            dossier.id,
            "cash",
            dossiers.dossier_fee(session, dossier.id),
            f"BL-{dossier.id}",
        )
    with write_scope() as session:
        dossiers.submit(session, clerk, dossier.id)
    return dossier.id


def _second_office() -> None:
    with write_scope() as session:
        unit = Unit(code="KT-UBND", name=OTHER_OFFICE, name_folded=fold(OTHER_OFFICE), kind="office")
        session.add(unit)
        session.flush()
        one_stop = Unit(
            code="KT-MOTCUA",
            name="Bộ phận Một cửa xã Kiểm Thử",
            kind="one_stop",
            parent_id=unit.id,
            name_folded=fold("Bộ phận Một cửa xã Kiểm Thử"),
        )
        session.add(one_stop)
        office = Office(
            unit_id=unit.id,
            name=OTHER_OFFICE,
            address="Xã Kiểm Thử",
            leader_titles=["Chủ tịch UBND xã"],
            signing_config={"kind": "demo", "key_id": "office-kt"},
        )
        session.add(office)
        session.flush()
        password = hash_password("demo1234")
        for i, (username, rights) in enumerate(OWN.items()):
            account = Account(
                kind="official",
                username=f"b{username}",
                full_name=f"Công Chức Bê {i}",
                name_folded=fold(f"Công Chức Bê {i}"),
                id_number=f"00108800090{i}",
                phone=f"090200010{i}",
                unit_id=one_stop.id if username in ("motcua", "chungthuc") else unit.id,
                office_id=office.id,
                password_hash=password,
            )
            if Right.SIGN_COPY in rights:
                account.signing_config = {"kind": "demo", "key_id": "leader-kt"}
            session.add(account)
            session.flush()
            for right in rights:
                session.add(RightGrant(account_id=account.id, office_id=office.id, right=right))
        session.add(
            Account(
                kind="citizen",
                username=OTHER_CITIZEN,
                full_name="Vũ Thị Khác",
                id_number=OTHER_CITIZEN,
                name_folded=fold("Vũ Thị Khác"),
                phone="0977000999",
                password_hash=password,
            )
        )
        session.commit()


def _build() -> dict:
    from app.signing import certification_service as service
    from domain import dossiers
    from tests.support.workflow import user_named

    _second_office()
    with write_scope() as session:
        b_draft = dossiers.open_dossier(session, user_named("bchungthuc"), dossiers.RequesterData(
            name=SECRET_B, id_number=OTHER_CITIZEN, phone="0977000999"))
    clerk = user_named("chungthuc")
    with write_scope() as session:
        draft = dossiers.open_dossier(session, clerk, dossiers.RequesterData(
            name=SECRET_NAME, id_number="001099012345", phone="0987654321"))
    submitted = _ready(SECRET_NAME)
    signed = _ready(SECRET_NAME)
    service.sign(UNITS, user_named("lanhdao"), signed)
    issued = _ready(SECRET_NAME)
    service.sign(UNITS, user_named("lanhdao"), issued)
    entry = service.seal(UNITS, user_named("vanthu"), issued)[0]
    with session_scope() as session:
        chungthuc = session.exec(select(Account).where(Account.username == "chungthuc")).one()
        b_account = session.exec(select(Account).where(Account.username == "bchungthuc")).one()
        codes = [session.get(Dossier, i).code for i in (draft.id, submitted, signed, issued)]
        b_code = session.get(Dossier, b_draft.id).code
    return {"draft": draft.id, "submitted": submitted, "signed": signed, "issued": issued, "entry": entry.id,
            "code": entry.verify_code, "account": chungthuc.id, "codes": codes, "b_draft": b_draft.id,
            "b_account": b_account.id, "b_code": b_code}


@pytest.fixture
def office_data(app_env) -> dict:
    """Office A's dossiers in every state, office B with its officials, a second citizen."""
    settings = get_settings()
    if not _TEMPLATE:
        from app.web.startup import prepare_database

        prepare_database()
        ids = _build()
        dispose_engine()
        template = Path(str(settings.data_dir) + "-matrix-template")
        shutil.copytree(settings.data_dir, template, ignore=shutil.ignore_patterns("nicegui*"))
        _TEMPLATE.update(ids=ids, dir=template)
    else:
        dispose_engine()
        shutil.rmtree(settings.data_dir, ignore_errors=True)
        shutil.copytree(_TEMPLATE["dir"], settings.data_dir)
        reload_settings()
    return _TEMPLATE["ids"]


def url_for(path: str, ids: dict) -> str:
    dossier = {"/dossier/{dossier_id}": ids["draft"], "/queue/sign/{dossier_id}": ids["submitted"],
               "/queue/seal/{dossier_id}": ids["signed"], "/handled/{dossier_id}": ids["issued"]}.get(path)
    return (path.replace("{dossier_id}", str(dossier)).replace("{entry_id}", str(ids["entry"]))
            .replace("{account_id}", str(ids["account"])).replace("{code}", ids["code"]))


def page_text(user: User) -> str:
    parts = []
    for element in user.client.layout.descendants():
        for value in (getattr(element, "text", None), element.props.get("label"), element.props.get("value"),
                      getattr(element, "content", None)):
            if isinstance(value, str):
                parts.append(value)
    parts += [str(m) for m in user.notify.messages]
    return "\n".join(parts)


def is_login_page(text: str) -> bool:
    return "Tên đăng nhập, số định danh hoặc số điện thoại" in text


async def check_page(user: User, p: Persona, path: str, url: str, ids: dict, want: str) -> None:
    user.notify.messages.clear()
    await user.open(url)
    text = page_text(user)
    assert "Traceback" not in text and "Đã có lỗi xảy ra" not in text, (p.key, url)
    if want == "login":
        assert is_login_page(text), f"{p.key} {url}: expected the sign-in page"
    elif want == "refused":
        assert not is_login_page(text), f"{p.key} {url}: sign-in page instead of a refusal"
        assert any(t in text for t in DENIED_TEXTS), (
            f"{p.key} {url}: expected a refusal, page shows:\n{text[:600]}"
        )
    else:
        assert not is_login_page(text) or path in ("/login",), f"{p.key} {url}: sent to sign-in"
        assert "Bạn không có quyền truy cập trang này" not in text, f"{p.key} {url}: refused"
        if RULES[path][1] and p.office == "A" and "{dossier_id}" in path:  # the intended cell shows the data
            assert any(code in text for code in ids["codes"]) or SECRET_NAME in text, (
                f"{p.key} {url}: no data"
            )
    if not may_see_office_a(p, path, want):
        for secret in [SECRET_NAME, *ids["codes"]]:
            assert secret not in text, f"{p.key} {url}: shows office A's data «{secret}»"
    if p.office != "B":
        for secret in (SECRET_B, ids["b_code"]):
            assert secret not in text, f"{p.key} {url}: shows office B's data «{secret}»"


async def check_cross_office(user: User, p: Persona, ids: dict) -> int:
    """The other office's records by id: office B's dossier and official for everyone outside B, office A's
    official for everyone outside A. Only the same office's holder of the right gets through."""
    cells = 0
    for url, office, right in ((f"/dossier/{ids['b_draft']}", "B", Right.CREATE_COPY),
                               (f"/admin/users/{ids['b_account']}", "B", Right.ADMINISTER),
                               (f"/admin/users/{ids['account']}", "A", Right.ADMINISTER)):
        if p.kind == "anon":
            want = "login"
        else:
            want = "ok" if p.kind == "official" and p.office == office and right in p.rights else "refused"
        user.notify.messages.clear()
        await user.open(url)
        text = page_text(user)
        if want == "login":
            assert is_login_page(text), f"{p.key} {url}: expected the sign-in page"
        elif want == "refused":
            assert any(t in text for t in DENIED_TEXTS), f"{p.key} {url}: expected a refusal:\n{text[:600]}"
            assert SECRET_B not in text and "Công Chức Bê" not in text or p.office == "B", f"{p.key} {url}"
        else:
            assert "Bạn không có quyền truy cập trang này" not in text, f"{p.key} {url}: refused"
        cells += 1
    return cells


async def check_route(user: User, p: Persona, path: str, url: str, ids: dict, want: str) -> None:
    response = await user.http_client.get(url, follow_redirects=False)
    if want == "login":
        assert response.status_code in (302, 303, 307) and "/login" in response.headers["location"], (
            p.key,
            url,
        )
        return
    if want == "refused":
        assert response.status_code == 404, (p.key, url, response.status_code)
    else:
        assert response.status_code == 200, (p.key, url, response.status_code)
    if not may_see_office_a(p, path, want) and path != "/verify/{code}.json":
        for secret in [SECRET_NAME, *ids["codes"]]:
            assert secret.encode() not in response.content


CELLS: list[int] = []


def test_every_route_has_an_access_rule():
    """Enumerated under the User harness in the tests below; this checks the table has no stale rows."""
    assert all(
        rule in ("public", "signed_in", "official", "citizen", "download", "skip")
        or rule in OWN["admin"] | OWN["motcua"] | OWN["chungthuc"] | OWN["lanhdao"] | OWN["vanthu"]
        for rule, _ in RULES.values()
    )


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.key)
async def test_access_matrix(user: User, office_data: dict, persona: Persona):
    paths = app_paths()
    missing = [p for p in paths if p not in RULES]
    assert not missing, f"routes without an access rule in tests/ui/test_access_matrix.py: {missing}"
    from app.verification.public_verify import LIMITER

    LIMITER.reset()
    if persona.login:
        await sign_in(user, persona.login)
    cells = 0
    for path in paths:
        rule, detail = RULES[path]
        if rule == "skip":
            continue
        want = expected(rule, detail, persona)
        url = url_for(path, office_data)
        if path in NON_PAGE:
            await check_route(user, persona, path, url, office_data, want)
        else:
            await check_page(user, persona, path, url, office_data, want)
        cells += 1
    cells += await check_cross_office(user, persona, office_data)
    # not guessable / checked: a neighbouring entry id and a made-up one answer 404 for everyone but A
    for entry_id in (office_data["entry"] + 1, 999999):
        response = await user.http_client.get(f"/download/copy/{entry_id}", follow_redirects=False)
        assert response.status_code in ((302, 303, 307) if persona.kind == "anon" else (404,)), persona.key
        cells += 1
    CELLS.append(cells)
    print(f"\n{persona.key}: {cells} cells checked (total so far {sum(CELLS)})")


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p.kind != "anon"], ids=lambda p: p.key)
def test_actions_are_checked_by_the_use_cases(office_data: dict, persona: Persona):
    """Use cases called directly (as a forged websocket event would reach them): only the right in
    office A succeeds; everyone else gets AccessDenied (or a workflow refusal) and nothing changes."""
    from app.dossier_service import attach_scan
    from app.intake.uploads import UploadRejected
    from app.signing import certification_service as service
    from domain import dossiers, payments
    from domain.access import AccessDenied
    from domain.dossiers import WorkflowError
    from domain.workflow import IllegalTransition
    from tests.support.bad_files import jpeg
    from tests.support.workflow import user_named

    user = user_named(persona.login)
    with session_scope() as session:
        original_id = dossiers.originals_of(session, office_data["draft"])
        original_id = original_id[0].id if original_id else None
    if original_id is None:
        clerk = user_named("chungthuc")
        with write_scope() as session:
            original_id = dossiers.save_original(session, clerk, office_data["draft"], dossiers.OriginalData(
                title="Giấy tờ", issuer="UBND", pages=1,
                checks=["not_altered", "legible", "not_secret", "lawful_content"])).id
    refusals = (AccessDenied, WorkflowError, IllegalTransition, UploadRejected, PermissionError)

    def attempt(action) -> bool:
        try:
            action()
        except refusals:
            return False
        return True

    in_a = persona.kind == "official" and persona.office == "A"
    rights = persona.rights if in_a else set()

    def pay():
        with write_scope() as session:
            due = dossiers.dossier_fee(session, office_data["draft"]) - dossiers.paid_amount(
                session, office_data["draft"]
            )
            payments.record_payment(session, user, office_data["draft"], "cash", due, "BL-X")

    outcomes = {
        "attach_scan": (attempt(lambda: attach_scan(UNITS, user, original_id, jpeg(), "a.jpg")),
                        Right.CREATE_COPY in rights),
        "record_payment": (attempt(pay), Right.COLLECT_FEE in rights),
        "sign": (attempt(lambda: service.sign(UNITS, user, office_data["submitted"])),
                 Right.SIGN_COPY in rights),
        "seal": (attempt(lambda: service.seal(UNITS, user, office_data["signed"])),
                 Right.SEAL_COPY in rights),
    }
    wrong = {name: got for name, (got, want) in outcomes.items() if got != want}
    assert not wrong, f"{persona.key}: unexpected outcomes {wrong}"
    from domain import workflow

    with session_scope() as session:
        state = session.get(Dossier, office_data["submitted"]).state
    assert (state == workflow.SUBMITTED) == (Right.SIGN_COPY not in rights)
    CELLS.append(len(outcomes))
