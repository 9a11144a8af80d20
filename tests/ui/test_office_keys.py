"""Issue 34 points 1–2 through the real pages, with two offices: signing keys belong to their office.

Office B's administrator cannot use, name or probe office A's key files (no page takes a server path; a
key is uploaded, sealed and bound to the office; a certificate for another office is refused), cannot make
the server call an address the operator did not allow, nor read one of its files as a "client secret"."""
from __future__ import annotations

import json

from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

from app.db import session_scope, write_scope
from app.demo import OFFICE_NAME
from app.signing import keystore
from app.signing.resolve import demo_pki, office_signing_config
from domain.models import Account, AuditEvent, Office, SigningSecret
from tests.support.http_upload import post_files
from tests.ui.admin_support import set_input, text_of
from tests.ui.test_trust_boundaries import OFFICE_B, add_office_b, sign_in


def office_named(name: str) -> Office:
    with session_scope() as s:
        return s.exec(select(Office).where(Office.name == name)).one()


async def open_office_settings(user: User, login: str) -> None:
    await sign_in(user, login)
    await user.open("/admin/office")
    await user.should_see(marker="save-office", retries=100)


async def upload_key(user: User, key_id: str, password: str) -> None:
    """Pick the .p12 on the page (posted to the page's real upload endpoint), type its password."""
    user.find(marker="s-kind").elements.pop().value = "pkcs12"
    data = demo_pki().p12_path(key_id).read_bytes()
    element = user.find(kind=ui.upload, marker="s-p12").elements.pop()
    response = await post_files(user, element, [(f"{key_id}.p12", "application/x-pkcs12", data)])
    assert response.status_code == 200
    await user.should_see("Đã nhận tệp", retries=100)
    set_input(user, "s-password", password)


async def save_and_read_error(user: User, button: str = "save-office", label: str = "office-error") -> str:
    user.find(marker=label).elements.pop().text = ""  # the answer to this click, not the last one
    user.find(marker=button).click()
    return await text_of(user, label)


async def test_office_b_cannot_take_office_a_key_and_its_own_key_is_sealed(user: User):
    add_office_b()
    pki = demo_pki()
    pki.issue_office("key-of-a", OFFICE_NAME)
    pki.issue_office("key-of-b", OFFICE_B)
    password = pki.p12_password().decode()
    await open_office_settings(user, "badmin")
    await user.should_not_see(marker="s-path")  # no field names a file on the server

    await upload_key(user, "key-of-a", password)
    error = await save_and_read_error(user)
    assert f"chứng thư số cấp cho «{OFFICE_NAME}», không phải cho «{OFFICE_B}»" in error
    assert office_named(OFFICE_B).signing_config == {}

    await upload_key(user, "key-of-b", "sai-mat-khau")
    assert "mật khẩu không đúng" in await save_and_read_error(user)

    await upload_key(user, "key-of-b", password)
    user.find(marker="save-office").click()
    await user.should_see("Đã lưu: chữ ký số của cơ quan", retries=100)
    office_b = office_named(OFFICE_B)
    assert set(office_b.signing_config) == {"kind", "key_ref", "subject"}
    with session_scope() as s:
        row = s.get(SigningSecret, office_b.signing_config["key_ref"])
        summaries = " ".join(s.exec(select(AuditEvent.summary)))
    assert row.office_id == office_b.id and row.organisation == OFFICE_B
    assert password not in row.sealed and password not in summaries
    # the key signs for office B only: office A's config naming B's stored key opens nothing
    signer_cfg = office_signing_config(office_b)
    assert signer_cfg["kind"] == "pkcs12" and signer_cfg["data"] == pki.p12_path("key-of-b").read_bytes()
    office_a = office_named(OFFICE_NAME)
    office_a.signing_config = dict(office_b.signing_config)
    try:
        office_signing_config(office_a)
    except keystore.StoredKeyMissing as exc:
        assert "Không tìm thấy khóa ký đã lưu của cơ quan này" in exc.message
    else:
        raise AssertionError("office A opened office B's key")


async def test_a_certificate_another_office_uses_is_refused(user: User):
    """Two offices of the same name (a district serving communes of one name): one key, one office."""
    office_b = add_office_b()
    with write_scope() as s:
        s.get(Office, office_b).name = OFFICE_NAME
        s.commit()
    pki = demo_pki()
    pki.issue_office("shared-key", OFFICE_NAME)
    password = pki.p12_password().decode()
    await open_office_settings(user, "admin")
    await upload_key(user, "shared-key", password)
    user.find(marker="save-office").click()
    await user.should_see("Đã lưu: chữ ký số của cơ quan", retries=100)
    await open_office_settings(user, "badmin")
    await upload_key(user, "shared-key", password)
    assert "chứng thư số này đã được một cơ quan khác sử dụng" in await save_and_read_error(user)


async def test_a_path_typed_into_a_crafted_form_is_never_stored_and_a_stored_one_refuses_to_sign(user: User,
                                                                                              tmp_path):
    """Even if a crafted request carried the old path fields, nothing of them is kept; a config saved with
    a path before the upgrade signs nothing and says what to do."""
    add_office_b()
    await open_office_settings(user, "badmin")
    secret = tmp_path / "storage_secret"
    secret.write_text("bi-mat-cua-may-chu")
    assert keystore.seal_uploads({"kind": "pkcs12", "path": str(secret), "password_file": str(secret)}) == {
        "kind": "pkcs12", "upload": None}
    csc = keystore.seal_uploads({"kind": "csc", "service_url": "https://x", "credential_id": "c",
                                 "client_secret_file": str(secret)})
    assert "client_secret_file" not in csc and csc["secret"] is None
    office_b = office_named(OFFICE_B)
    office_b.signing_config = {"kind": "pkcs12", "path": str(secret), "password_file": str(secret)}
    try:
        office_signing_config(office_b)
    except keystore.LegacyKeyPath as exc:
        assert "đường dẫn tệp trên máy chủ" in exc.message and "main.py migrate" in exc.message
    else:
        raise AssertionError("a path-based key was used")


async def test_remote_signing_only_at_allowed_https_hosts_and_the_secret_is_typed_once(user: User,
                                                                                      monkeypatch):
    add_office_b()
    monkeypatch.setenv("DEMO", "0")  # production rules: https only
    monkeypatch.setenv("OUTBOUND_HOSTS", "rs.ca.example.vn")
    from app.settings import reload_settings

    reload_settings()
    await open_office_settings(user, "badmin")
    user.find(marker="s-kind").elements.pop().value = "csc"
    await user.should_not_see(marker="s-client-secret-file")
    set_input(user, "s-credential-id", "seal-b")
    set_input(user, "s-client-id", "client-b")
    set_input(user, "s-client-secret", "sieu-bi-mat")
    for url, refusal in [
        ("http://rs.ca.example.vn/csc", "phải bắt đầu bằng https://"),
        ("https://127.0.0.1:8443/csc", "địa chỉ nội bộ không nằm trong danh sách"),
        ("https://attacker.example.com/csc", "máy chủ «attacker.example.com» không nằm trong danh sách"),
    ]:
        set_input(user, "s-service-url", url)
        assert refusal in await save_and_read_error(user)
        assert office_named(OFFICE_B).signing_config == {}
    set_input(user, "s-service-url", "https://rs.ca.example.vn/csc")
    user.find(marker="save-office").click()
    await user.should_see("Đã lưu: chữ ký số của cơ quan", retries=100)
    saved = office_named(OFFICE_B).signing_config
    assert saved["service_url"] == "https://rs.ca.example.vn/csc" and saved["secret_kind"] == "csc_secret"
    assert "sieu-bi-mat" not in json.dumps(saved)
    with session_scope() as s:
        sealed = s.get(SigningSecret, saved["secret_ref"]).sealed
    assert "sieu-bi-mat" not in sealed
    # the allow-list is read again at the moment of signing: a host the operator removed is refused
    monkeypatch.setenv("OUTBOUND_HOSTS", "")
    try:
        office_signing_config(office_named(OFFICE_B))
    except Exception as exc:  # noqa: BLE001
        assert "Ký số từ xa: máy chủ «rs.ca.example.vn» không nằm trong danh sách" in exc.message
    else:
        raise AssertionError("a host no longer allowed was called")


async def test_a_leader_key_upload_is_bound_to_the_leaders_office(user: User):
    add_office_b()
    pki = demo_pki()
    pki.issue_person("leader-of-a", "Nguyễn Thị Lãnh", "Chủ tịch", OFFICE_NAME)
    with session_scope() as s:
        leader_b = s.exec(select(Account).where(Account.username == "blanhdao")).one()
    await sign_in(user, "badmin")
    await user.open(f"/admin/users/{leader_b.id}")
    await user.should_see(marker="save-official-signing", retries=100)
    user.find(marker="s-kind").elements.pop().value = "pkcs12"
    element = user.find(kind=ui.upload, marker="s-p12").elements.pop()
    data = pki.p12_path("leader-of-a").read_bytes()
    await post_files(user, element, [("a.p12", "application/x-pkcs12", data)])
    await user.should_see("Đã nhận tệp", retries=100)
    set_input(user, "s-password", pki.p12_password().decode())
    error = await save_and_read_error(user, "save-official-signing", "official-signing-error")
    assert f"không phải cho «{OFFICE_B}»" in error
    with session_scope() as s:
        assert s.get(Account, leader_b.id).signing_config == {}
