"""Helpers for the API tests: a client registered as an administrator would, an in-process HTTP client
for the API app, and a dossier issued through the real signing and sealing."""
from __future__ import annotations

import httpx
from sqlmodel import select

from app.db import UNITS, session_scope, write_scope
from app.signing import certification_service as service
from domain.models import Dossier, RegisterEntry
from tests.support.workflow import signed_dossier_ready, user_named


def new_client(scopes=("verify",), webhook_url: str = "", rate: int = 1000, admin: str = "admin"):
    from app.api import admin as api_admin

    with write_scope() as session:
        return api_admin.register_client(session, user_named(admin), "Ngân hàng thử", list(scopes),
                                         webhook_url, rate)


def api_http(key: str | None = None) -> httpx.AsyncClient:
    """The API app in process (the routes, auth, problems and call log are the served ones)."""
    from starlette.applications import Starlette

    from app.api import ApiDispatch, build

    headers = {"Authorization": f"Bearer {key}"} if key else {}
    mounted = ApiDispatch(Starlette(), build())  # as main.py puts it in front of NiceGUI's app
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=mounted), base_url="http://testserver/api/v1",
                             headers=headers)


def issued_copy(pages: int = 1) -> tuple[str, str, bytes]:
    """(dossier code, verification code, the issued PDF) after the real leader's and office's signatures."""
    from app import files

    dossier_id = signed_dossier_ready(pages=pages)
    service.sign(UNITS, user_named("lanhdao"), dossier_id)
    service.seal(UNITS, user_named("vanthu"), dossier_id)
    with session_scope() as session:
        entry = session.exec(select(RegisterEntry).where(RegisterEntry.dossier_id == dossier_id)).one()
        code = session.get(Dossier, dossier_id).code
        return code, entry.verify_code, files.read_bytes(entry.file_sha256)
