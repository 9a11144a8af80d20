"""GET /verify/{code}.json: the verdict on a copy for a machine without an API key (the code of the QR on
the copy), public like the page /verify/{code} and under the same per-address limit. Its answer is the
VerificationResult as a dict (`valid`, `status`, the register's facts, the signers); 404 for an unknown
code, 429 over the limit. The keyed API (/api/v1/copies/{code}) is app/api/verify_routes.py; both ask
app/verification/public_verify.py, like the page and `main.py verify`. Registered by pages/verify.py,
before the page's /verify/{code} (which would otherwise take the path)."""
from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from nicegui import run

from app.verification.public_verify import LIMITER, TOO_MANY, verify_by_code
from app.web.auth import client_addr
from domain.signing.verification import Status


async def verify_json(code: str, request: Request) -> Response:
    if not LIMITER.allow(client_addr(request)):
        return JSONResponse(
            {"status": "rate_limited", "message": TOO_MANY}, status_code=429, headers={"Retry-After": "60"}
        )
    result = await run.io_bound(verify_by_code, code)
    if result is None:
        return JSONResponse({"status": Status.NOT_FOUND.value, "valid": False}, status_code=404)
    return JSONResponse(result.to_dict())
