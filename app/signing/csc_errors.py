"""What a remote-signing (CSC) provider can refuse, each with the Vietnamese text the signer sees.

CSC services answer errors as OAuth-style JSON ``{"error": ..., "error_description": ...}``; the codes
differ between providers, so the description is read too.
"""
from __future__ import annotations

from domain.errors import DomainError

MESSAGES = {
    "wrong_pin": "Mã PIN/OTP không đúng. Vui lòng nhập lại (hồ sơ vẫn chờ ký).",
    "expired": "Phiên xác nhận ký số từ xa đã hết hạn. Vui lòng xác nhận lại.",
    "cancelled": "Yêu cầu ký số từ xa đã bị hủy hoặc bị từ chối trên điện thoại. Hồ sơ vẫn chờ ký.",
    "disabled": "Chứng thư số trên dịch vụ ký số từ xa đang bị khóa hoặc tạm dừng. "
    "Vui lòng liên hệ nhà cung cấp.",
    "unreachable": "Không kết nối được dịch vụ ký số từ xa. Hồ sơ vẫn chờ ký; vui lòng thử lại sau.",
    "timeout": "Dịch vụ ký số từ xa không trả lời kịp thời (quá thời gian chờ). Hồ sơ vẫn chờ ký.",
    "unauthorized": "Dịch vụ ký số từ xa từ chối thông tin kết nối của cơ quan (client ID/secret "
    "hoặc token). Vui lòng báo quản trị hệ thống.",
    "not_authorized": "Chưa xác nhận ký số từ xa (nhập mã PIN/OTP) cho lần ký này.",
    "unsupported": "Chứng thư số này yêu cầu xác nhận từng chữ ký (SCAL2); hệ thống chưa hỗ trợ loại này.",
    "rejected": "Dịch vụ ký số từ xa từ chối yêu cầu ký.",
}


class RemoteSigningError(DomainError):
    """A remote signing failure the signer can understand; ``kind`` is one of MESSAGES. Its str() is the
    provider's detail for the log; `message` is the text for the signer."""

    def __init__(self, kind: str, detail: str = ""):
        self.kind = kind if kind in MESSAGES else "rejected"
        self.detail = detail
        super().__init__(MESSAGES[self.kind])
        self.args = (f"{self.kind}: {detail}" if detail else self.kind,)


def classify(status: int, body: dict | None) -> str:
    """The kind of a provider's error answer (HTTP status + JSON error)."""
    body = body or {}
    code = str(body.get("error", "")).lower()
    text = f"{code} {str(body.get('error_description', '')).lower()}"
    if code in ("invalid_pin", "invalid_otp") or "pin" in text or "otp" in text:
        return "wrong_pin"
    if "expired" in text or "expire" in text:
        return "expired"
    if "cancel" in text or "denied" in text or "reject" in text or code == "access_denied":
        return "cancelled"
    if "disabled" in text or "suspended" in text or "locked" in text or "revoked" in text:
        return "disabled"
    if status == 401 or code in ("invalid_client", "invalid_token", "unauthorized_client"):
        return "unauthorized"
    if status in (502, 503, 504):
        return "unreachable"
    return "rejected"
