"""Verification for machines (scope `verify`): by verification code, or by the PDF in the request body.
The same functions as the public page (app.verification.public_verify), run off the event loop."""
from __future__ import annotations

from fastapi import APIRouter, Path, Request
from nicegui import run

from app.api.problems import ApiProblem, responses
from app.api.schemas import Verdict
from app.api.security import VerifyCaller
from app.api.verdicts import verdict
from app.intake.uploads import UploadRejected, check_upload
from app.verification.public_verify import MAX_UPLOAD_BYTES, verify_by_code, verify_cached

router = APIRouter(tags=["Xác thực bản sao"])
PDF_TYPES = ("application/pdf", "application/octet-stream")
BINARY = {"schema": {"type": "string", "format": "binary"}}
PDF_BODY = {"requestBody": {"required": True, "description": "Tệp PDF bản sao (tối đa 20 MB)",
                            "content": {"application/pdf": BINARY}}}


@router.get("/copies/{code}", response_model=Verdict, summary="Tra cứu bản sao theo mã tra cứu",
            responses=responses(401, 403, 404, 422, 429))
async def copy_by_code(caller: VerifyCaller,
                       code: str = Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")) -> Verdict:
    """Kết quả như trang tra cứu công khai: trạng thái, số và quyển số chứng thực, ngày, cơ quan, người ký,
    mức chữ ký, ghi chú."""
    result = await run.io_bound(verify_by_code, code)
    if result is None:
        raise ApiProblem(404, "Không có bản sao nào với mã tra cứu này.")
    return verdict(result)


@router.post("/verifications", response_model=Verdict, summary="Xác thực tệp PDF bản sao",
             openapi_extra=PDF_BODY, responses=responses(400, 401, 403, 413, 415, 422, 429))
async def verify_upload(request: Request, caller: VerifyCaller) -> Verdict:
    """Gửi tệp PDF trong thân yêu cầu (`Content-Type: application/pdf`). Trạng thái `not_found` khi tệp
    không có trong sổ chứng thực."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in PDF_TYPES:
        raise ApiProblem(415, "Gửi tệp PDF với tiêu đề `Content-Type: application/pdf`.")
    data = await request.body()
    if not data:
        raise ApiProblem(400, "Thân yêu cầu trống: hãy gửi tệp PDF.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ApiProblem(413, "Tệp vượt quá 20 MB.")
    try:
        await run.io_bound(check_upload, data, "ban-sao.pdf", {"pdf"}, MAX_UPLOAD_BYTES)
    except UploadRejected as exc:
        raise ApiProblem(422, exc.message) from None
    return verdict(await run.io_bound(verify_cached, data))
