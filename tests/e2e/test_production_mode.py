"""Production mode end to end (DEMO=0): the first administrator made by `main.py create-admin`, the office's
key in a PKCS#12 file, the leader's key on a SoftHSM2 token, the roots given by TRUST_ROOTS — no demo CA,
no demo office, no demo accounts. A dossier goes through the real certification service; the issued copy
verifies on the public page and with `main.py verify`; `main.py verify-audit` finds the chain whole; and
no demo text or demo data shows on any screen."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from selenium.webdriver.common.by import By
from sqlmodel import select

from app import files
from app.db import UNITS, dispose_engine, write_scope
from app.settings import reload_settings
from app.signing import certification_service as service
from domain import dossiers, payments
from domain.models import Account, Office, RightGrant, Unit
from domain.text import fold
from tests.e2e.conftest import ROOT, login, start_server, wait_for_text
from tests.integration.test_crash_upload_outbox import stop
from tests.support.keys import stored_pkcs12
from tests.support.signing import create_softhsm_token, softhsm_env
from tests.support.workflow import scan_page_jpeg, user_named

pytestmark = pytest.mark.needs("softhsm2", "chromium")
OFFICE = "UBND xã Thử Nghiệm"
PASSWORD = "Mat-khau-that-9"
DEMO_TRACES = ("demo", "DEMO", "Demo", "demo1234", "Hoàn Kiếm", "Nguyễn Văn An", "Trần Văn Chứng")


def cli(env: dict, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def production(app_env, pki_services, tmp_path, monkeypatch):
    """The keys come from a CA the product does not know (the session's Certomancer PKI, trusted here only
    through TRUST_ROOTS, as a real CA's root would be), and DEMO=0 for this process and the CLI."""
    pki = pki_services
    pki.issue_person("prod-lanh", "Phạm Thị Lãnh", "Chủ tịch UBND xã", OFFICE)
    pki.issue_office("prod-xa", OFFICE)
    (tmp_path / "root.pem").write_bytes(pki.root_cert_pem())
    hsm = tmp_path / "softhsm"
    # A real office points TSA_URL at its CA's time-stamp service: without one a copy stays at B-B,
    # and the verifier (rightly) cannot establish when it was signed.
    env = {
        "DEMO": "0",
        "TRUST_ROOTS": str(tmp_path / "root.pem"),
        "TSA_URL": pki.tsa_url(),
        "PKCS11_TOKENS": str(tmp_path / "pkcs11_tokens.json"),  # the operator's list of tokens per office
        **softhsm_env(hsm),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    dispose_engine()
    reload_settings()
    token = create_softhsm_token(hsm, pki.p12_path("prod-lanh"), pki.p12_password(), label="CT-leader")
    (tmp_path / "leader.pin").write_text(token.pin + "\n")
    (tmp_path / "office.secret").write_bytes(pki.p12_password() + b"\n")
    (tmp_path / "admin.pw").write_text(PASSWORD + "\n")
    keys = {"leader": {"name": "chutich-token", "module": token.module, "token_label": token.token_label,
                       "key_label": token.key_label, "cert_label": token.key_label,
                       "pin_file": str(tmp_path / "leader.pin")},
            "office": (pki.p12_path("prod-xa").read_bytes(), pki.p12_password()),
            "tokens": tmp_path / "pkcs11_tokens.json"}
    return {**os.environ, **env}, keys


def _staff(keys: dict) -> None:
    """The officials the administrator would create on «Cán bộ», with their rights and keys: the office's
    key uploaded into the key store, the leader's token listed by the operator for this office."""
    with write_scope() as session:
        office = session.exec(select(Office)).one()
        office.signing_config = stored_pkcs12(session, office.id, *keys["office"])
        code = session.get(Unit, office.unit_id).code
        keys["tokens"].write_text(json.dumps([keys["leader"] | {"office": code}]))
        for username, name, rights in [("tiepnhan", "Đỗ Văn Tiếp", ["create_copy"]),
                                       ("thuphi", "Lý Thị Thu", ["collect_fee"]),
                                       ("chutich", "Phạm Thị Lãnh", ["sign_copy"]),
                                       ("vanthu1", "Hồ Văn Thư", ["seal_copy"])]:
            account = Account(
                kind="official",
                username=username,
                full_name=name,
                name_folded=fold(name),
                unit_id=office.unit_id,
                office_id=office.id,
                title="Chủ tịch UBND xã" if username == "chutich" else None,
                signing_config={"kind": "pkcs11", "token": "chutich-token"} if username == "chutich" else {},
            )
            session.add(account)
            session.flush()
            session.add_all([RightGrant(account_id=account.id, office_id=office.id, right=r) for r in rights])
        session.commit()


def _issue_copy() -> tuple[bytes, str]:
    clerk, cashier = user_named("tiepnhan"), user_named("thuphi")
    with write_scope() as session:
        dossier = dossiers.open_dossier(session, clerk, dossiers.RequesterData(
            name="Võ Thị Hạnh", id_number="079190000123", phone="0912345678"))
    with write_scope() as session:
        original = dossiers.save_original(session, clerk, dossier.id, dossiers.OriginalData(
            title="Bằng tốt nghiệp", issuer="Trường THPT Thử Nghiệm", pages=1,
            checks=["not_altered", "legible", "not_secret", "lawful_content"]))
    with write_scope() as session:
        sha = files.store_bytes(scan_page_jpeg("BẰNG TỐT NGHIỆP"), "image/jpeg", session)
        session.commit()
    with write_scope() as session:
        dossiers.add_scan_pages(session, clerk, original.id, sha, 1)
    with write_scope() as session:
        payments.record_payment(
            session, cashier, dossier.id, "cash", dossiers.dossier_fee(session, dossier.id), "BL-1"
        )
    with write_scope() as session:
        dossiers.submit(session, clerk, dossier.id)
    service.sign(UNITS, user_named("chutich"), dossier.id)  # the leader's key on the SoftHSM2 token
    entry = service.seal(UNITS, user_named("vanthu1"), dossier.id)[0]  # the office's PKCS#12 key
    dispose_engine()
    return files.read_bytes(entry.file_sha256), entry.verify_code


def _screen(browser) -> str:
    return browser.find_element(By.TAG_NAME, "body").text


def test_production_journey_without_any_demo(production, app_env, browser, tmp_path):
    env, keys = production
    made = cli(env, "create-admin", "quantri", "--name", "Nguyễn Quản Trị", "--office", OFFICE,
               "--password-file", str(tmp_path / "admin.pw"))
    assert made.returncode == 0, made.stdout + made.stderr
    _staff(keys)
    pdf, code = _issue_copy()
    copy = tmp_path / "ban-sao.pdf"
    copy.write_bytes(pdf)

    checked = cli(env, "verify", str(copy), "--json")
    report = json.loads(checked.stdout)
    assert checked.returncode == 0 and report["valid"] is True, checked.stdout + checked.stderr
    assert report["certification_number"] == "1/ĐT"
    assert cli(env, "verify-audit").returncode == 0

    server = start_server(app_env, {k: env[k] for k in ("DEMO", "TRUST_ROOTS", "TSA_URL", "SOFTHSM2_CONF")})
    try:
        browser.delete_all_cookies()
        browser.get(server.url + "/login")
        wait_for_text(browser, "Đăng nhập")
        screens = {"/login": _screen(browser)}
        browser.get(f"{server.url}/verify/{code}")
        wait_for_text(browser, "1/ĐT", timeout=30)
        screens["/verify/code"] = _screen(browser)
        login(browser, server.url, "quantri", PASSWORD)
        for path in ("/", "/admin/users", "/admin/office", "/admin/units"):
            browser.get(server.url + path)
            wait_for_text(browser, "Nguyễn Quản Trị")
            screens[path] = _screen(browser)
        for path, text in screens.items():
            for trace in DEMO_TRACES:
                assert trace not in text, f"{path} shows «{trace}»"
        assert "Phạm Thị Lãnh" in screens["/verify/code"] and OFFICE in screens["/verify/code"]
    finally:
        stop(server)
