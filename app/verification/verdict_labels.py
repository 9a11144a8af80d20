"""How a verification's verdict and a signature's role are named to a relying party: the public page's
banners (pages/verify.py) and the API's verdicts (app/api/verdicts.py) use the same words."""
from __future__ import annotations

from domain.signing.verification import Role, Status

STATUS_VIEW = {  # label, explanation, colour classes
    Status.VALID: (
        "HỢP LỆ",
        "Bản sao điện tử được chứng thực hợp lệ, có đủ chữ ký số và có trong sổ chứng thực.",
        "bg-green-700",
    ),
    Status.REVOKED: (
        "ĐÃ BỊ THU HỒI",
        "Cơ quan cấp đã thu hồi bản sao này; bản sao không còn giá trị sử dụng.",
        "bg-red-800",
    ),
    Status.NOT_FOUND: (
        "KHÔNG TÌM THẤY",
        "Không tìm thấy bản sao này trong sổ chứng thực bản sao điện tử.",
        "bg-gray-700",
    ),
    Status.ALTERED: (
        "ĐÃ BỊ THAY ĐỔI",
        "Tệp không còn nguyên vẹn như khi được cấp: không được sử dụng.",
        "bg-red-700",
    ),
    Status.UNTRUSTED: (
        "CHỮ KÝ KHÔNG ĐƯỢC TIN CẬY",
        "Không xác nhận được chữ ký số của bản sao; lý do nêu bên dưới.",
        "bg-orange-700",
    ),
}
ROLE_LABELS = {Role.LEADER: "Người thực hiện chứng thực", Role.OFFICE: "Cơ quan thực hiện chứng thực",
               Role.FOREIGN: "Chữ ký lạ (không phải của người hay cơ quan đã cấp bản sao)"}
