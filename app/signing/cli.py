"""`python main.py verify FILE.pdf [--json]`: the command behind it (the lead wires the arguments)."""
from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from domain.signing.verification import VerificationResult

from .verify import Lookup, TrustRoots, verify_pdf

_STATUS_TEXT = {
    "valid": "HỢP LỆ — bản sao điện tử đã được chứng thực",
    "revoked": "ĐÃ BỊ THU HỒI",
    "not_found": "KHÔNG TÌM THẤY trong sổ chứng thực",
    "altered": "ĐÃ BỊ THAY ĐỔI sau khi ký",
    "untrusted": "CHỮ KÝ SỐ KHÔNG ĐƯỢC TIN CẬY",
}

_ROLE_TEXT = {"leader": "Người thực hiện chứng thực", "office": "Cơ quan", "foreign": "Chữ ký lạ"}


def verify_command(path: str, as_json: bool, lookup: Lookup | None = None,
                   trust_roots: TrustRoots | None = None, at=None,
                   judge: Callable[[bytes], VerificationResult] | None = None) -> int:
    """Print the verification result; exit code 0 only when the copy is valid (2: unreadable file).
    `judge`: the server's own verdict (app.verification.public_verify.verify_file); else the file is
    checked against `trust_roots` and `lookup` alone."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        print(f"Không đọc được tệp {path}: {exc.strerror}", file=sys.stderr)
        return 2
    with _quiet_pyhanko():
        if judge is None:
            result = verify_pdf(data, trust_roots=list(trust_roots or []), lookup=lookup, at=at)
        else:
            result = judge(data)
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_text(result))
    return 0 if result.valid else 1


def render_text(result: VerificationResult) -> str:
    d = result.to_dict()
    lines = [f"Kết quả: {_STATUS_TEXT[d['status']]}", f"SHA-256: {d['sha256']}"]
    if d["level"]:
        lines.append(f"Mức chữ ký: PAdES {d['level']}")
    if d["certification_number"]:
        lines.append(f"Số chứng thực: {d['certification_number']}   Quyển số: {d['book']}")
        lines.append(f"Cơ quan: {d['office']}   Ngày cấp: {d['issued_at']}")
    for s in d["signatures"]:
        role = _ROLE_TEXT[s["role"]]
        ok = "hợp lệ" if s["intact"] and s["trusted"] and s["modifications_ok"] else "KHÔNG hợp lệ"
        lines.append(f"- {role}: {s['signer']} ({s['signed_at']}): {ok}")
    lines.extend(f"! {p}" for p in d["problems"])
    lines.extend(f"* {n}" for n in d["notes"])
    return "\n".join(lines)


@contextmanager
def _quiet_pyhanko():
    """pyHanko logs tracebacks for untrusted or broken signatures; the result already says why."""
    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)
