"""The open API (/api/v1): a FastAPI app of its own, in front of the app NiceGUI runs, so it has its own
OpenAPI 3.1 document (/api/v1/openapi.json), its readable page (/api/v1/docs), its problem-details
errors and its key auth (app.web.auth lets /api/v1 through to it). Routes: app/api/*_routes.py."""
from __future__ import annotations

from fastapi import APIRouter, FastAPI
from nicegui import app

from app.api import docs, dossier_routes, problems, verify_routes
from app.api.calls import CallLogMiddleware

DESCRIPTION = (
    "Giao diện lập trình cho ngân hàng, hệ thống một cửa của tỉnh và Cổng dịch vụ công: xác thực bản sao "
    "điện tử được chứng thực (theo mã tra cứu hoặc tệp PDF), đọc hồ sơ của một cơ quan và lịch sử trạng "
    "thái, nhận sự kiện qua webhook (ký HMAC-SHA256). Khóa API do quản trị hệ thống cấp."
)


def build() -> FastAPI:
    api = FastAPI(title="API Chứng thực bản sao điện tử", version="1.0.0", description=DESCRIPTION,
                  openapi_url="/openapi.json", docs_url=None, redoc_url=None, servers=[{"url": "/api/v1"}],
                  root_path_in_servers=False)
    router = APIRouter()
    router.include_router(verify_routes.router)
    router.include_router(dossier_routes.router)
    api.include_router(router)
    api.get("/docs", include_in_schema=False)(lambda: docs.docs_page(api))
    problems.install(api)
    api.add_middleware(CallLogMiddleware)
    return api


PREFIX = "/api/v1"


class ApiDispatch:
    """Sends every request under /api/v1 to the API app, whatever its path holds. A Starlette Mount would
    not: its pattern does not match a path with an encoded line break, which then fell through to the
    web app's HTML 404 (found by schemathesis). Plain ASGI; the outer middlewares (upload limit, security
    headers, auth, which lets /api/v1 through) still wrap it."""

    def __init__(self, asgi_app, api: FastAPI):
        self.app, self.api = asgi_app, api

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if scope["type"] == "http" and (path == PREFIX or path.startswith(PREFIX + "/")):
            await self.api({**scope, "root_path": scope.get("root_path", "") + PREFIX}, receive, send)
            return
        await self.app(scope, receive, send)


def install() -> None:
    """Put the API in front of NiceGUI's app (main.build_app)."""
    app.add_middleware(ApiDispatch, api=build())
