"""Errors of the API as RFC 9457 problem details (application/problem+json), with a Vietnamese `title`.

Every refusal of the API goes through here: an HTTPException, a request that fails validation, and any
unexpected error (logged with a request id, answered 500 without details)."""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.logs import new_request_id

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://chungthuc.gov.vn/problems/"  # identifiers, not links that must resolve

TITLES: dict[int, tuple[str, str]] = {  # status -> (type slug, Vietnamese title)
    400: ("bad-request", "Yêu cầu không hợp lệ"),
    401: ("unauthorized", "Chưa xác thực: thiếu hoặc sai khóa API"),
    403: ("forbidden", "Khóa API không có quyền thực hiện thao tác này"),
    404: ("not-found", "Không tìm thấy"),
    405: ("method-not-allowed", "Phương thức không được hỗ trợ"),
    406: ("not-acceptable", "Không có định dạng trả về phù hợp"),
    409: ("conflict", "Xung đột trạng thái"),
    413: ("too-large", "Tệp gửi lên quá lớn"),
    415: ("unsupported-media-type", "Định dạng nội dung không được hỗ trợ"),
    422: ("invalid-input", "Dữ liệu gửi lên không hợp lệ"),
    429: ("rate-limited", "Vượt quá số lần gọi cho phép"),
    500: ("internal-error", "Lỗi hệ thống"),
    503: ("unavailable", "Dịch vụ tạm thời không sẵn sàng"),
}


class Problem(BaseModel):
    """RFC 9457 problem details."""
    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None


def problem(status: int, detail: str | None = None, *, instance: str | None = None,
            headers: dict[str, str] | None = None, **extra) -> JSONResponse:
    slug, title = TITLES.get(status, ("error", "Lỗi"))
    body = {"type": TYPE_BASE + slug, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


class ApiProblem(StarletteHTTPException):
    """Raise from a route or dependency: answered as a problem with this status and Vietnamese detail."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None, **extra):
        super().__init__(status, detail, headers)
        self.extra = extra


async def _http_problem(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc, ApiProblem) else None
    return problem(exc.status_code, detail, instance=request.url.path, headers=getattr(exc, "headers", None),
                   **getattr(exc, "extra", {}))


async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [{"location": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
              for e in exc.errors()]
    return problem(422, "Kiểm tra lại các tham số của yêu cầu.", instance=request.url.path, errors=errors)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    request_id = new_request_id()
    log.error("API error on %s [request %s]", request.url.path, request_id, exc_info=exc)
    return problem(500, f"Hệ thống chưa xử lý được yêu cầu (mã lỗi {request_id}).", instance=request.url.path)


def install(api: FastAPI) -> None:
    api.add_exception_handler(StarletteHTTPException, _http_problem)
    api.add_exception_handler(RequestValidationError, _invalid)
    api.add_exception_handler(Exception, _unexpected)
    document(api)


def responses(*statuses: int) -> dict:
    """OpenAPI `responses` entries for the problems an operation may answer (see `document`)."""
    return {s: {"model": Problem, "description": TITLES[s][1]} for s in statuses}


def document(api: FastAPI) -> None:
    """The document says what is sent: a problem as application/problem+json, not application/json."""
    build = api.openapi

    def openapi() -> dict:
        if api.openapi_schema is None:
            doc = build()
            for item in doc.get("paths", {}).values():
                for op in item.values():
                    for status, answer in op.get("responses", {}).items():
                        if answer.get("description") == "Successful Response":
                            answer["description"] = "Thành công"
                        content = answer.get("content", {})
                        if status[0] in "45" and "application/json" in content:
                            content[MEDIA_TYPE] = content.pop("application/json")
            api.openapi_schema = doc
        return api.openapi_schema

    api.openapi = openapi
