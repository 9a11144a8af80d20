"""Dossiers for integrations (scope `read_dossiers`, one office): changed since a cursor, one dossier with
its status history, its result file. Sync routes: FastAPI runs them in worker threads."""
from __future__ import annotations

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from app.api import dossier_reads
from app.api.problems import ApiProblem, responses
from app.api.schemas import DossierDetail, DossierPage
from app.api.security import DossierReader

router = APIRouter(tags=["Hồ sơ"])
CODE = Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9]+$",
            description="Mã hồ sơ, ví dụ HS20260000012")
SINCE = Query(0, ge=0, le=2**62, description="`next_cursor` của trang trước; 0: từ đầu")
PDF = {200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
             "description": "Tệp PDF bản sao điện tử đã chứng thực"}}


@router.get("/dossiers", response_model=DossierPage, summary="Hồ sơ thay đổi sau một con trỏ",
            responses=responses(401, 403, 422, 429))
def list_changed(caller: DossierReader, since: int = SINCE,
                 limit: int = Query(50, ge=1, le=200)) -> DossierPage:
    """Hồ sơ của cơ quan gắn với khóa API có sự kiện mới sau `since`, theo thứ tự thay đổi."""
    items, cursor, more = dossier_reads.changed_since(caller.office_id, since, limit)
    return DossierPage(items=items, next_cursor=cursor, has_more=more)


@router.get("/dossiers/{code}", response_model=DossierDetail, summary="Một hồ sơ và lịch sử trạng thái",
            responses=responses(401, 403, 404, 422, 429))
def one_dossier(caller: DossierReader, code: str = CODE) -> DossierDetail:
    detail = dossier_reads.dossier_detail(caller.office_id, code)
    if detail is None:
        raise ApiProblem(404, "Không có hồ sơ này tại cơ quan của bạn.")
    return detail


@router.get("/dossiers/{code}/result", response_class=Response, summary="Tệp kết quả (bản sao đã chứng thực)",
            responses={**PDF, **responses(401, 403, 404, 422, 429)})
def result(caller: DossierReader, code: str = CODE,
           copy: int = Query(1, ge=1, le=1000, description="Bản sao thứ mấy của hồ sơ")) -> Response:
    found = dossier_reads.result_file(caller.office_id, code, copy)
    if found is None:
        raise ApiProblem(404, "Hồ sơ chưa có kết quả (hoặc không có bản sao thứ này).")
    name, pdf = found
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
