"""Refusal grounds and the original's checklist (Decree 23/2015/NĐ-CP Art. 22; SPEC C1, C7).

Ground texts are the legal wording; a refusal notice quotes the ground (Art. 9 requires the
refusal to be explained in writing).
"""

from __future__ import annotations

from typing import NamedTuple

LEGAL_BASIS = "Điều 22 Nghị định số 23/2015/NĐ-CP"

ERASED_OR_ALTERED = "erased_or_altered"
DAMAGED_ILLEGIBLE = "damaged_illegible"
SECRET_OR_NO_COPY = "secret_or_no_copy"
UNLAWFUL_CONTENT = "unlawful_content"
FOREIGN_NOT_LEGALISED = "foreign_not_legalised"
INDIVIDUAL_UNCONFIRMED = "individual_unconfirmed"

class RefusalGround(NamedTuple):
    code: str
    clause: int  # its khoản of Art. 22, stated here: never inferred from its place in the list
    text: str


GROUNDS: tuple[RefusalGround, ...] = (
    RefusalGround(ERASED_OR_ALTERED, 1,
                  "Bản chính bị tẩy xóa, sửa chữa, thêm, bớt nội dung không hợp lệ."),
    RefusalGround(DAMAGED_ILLEGIBLE, 2, "Bản chính bị hư hỏng, cũ nát, không xác định được nội dung."),
    RefusalGround(SECRET_OR_NO_COPY, 3, (
        "Bản chính đóng dấu mật của cơ quan, tổ chức có thẩm quyền hoặc không đóng dấu mật "
        "nhưng ghi rõ không được sao chụp."
    )),
    RefusalGround(UNLAWFUL_CONTENT, 4, (
        "Bản chính có nội dung trái pháp luật, đạo đức xã hội; tuyên truyền, kích động chiến "
        "tranh, chống chế độ xã hội chủ nghĩa Việt Nam; xuyên tạc lịch sử của dân tộc Việt Nam; "
        "xúc phạm danh dự, nhân phẩm, uy tín của cá nhân, tổ chức; vi phạm quyền công dân."
    )),
    RefusalGround(FOREIGN_NOT_LEGALISED, 5, (
        "Bản chính do cơ quan, tổ chức có thẩm quyền của nước ngoài cấp, công chứng hoặc chứng "
        "nhận chưa được hợp pháp hóa lãnh sự theo quy định tại khoản 1 Điều 20 của Nghị định "
        "số 23/2015/NĐ-CP."
    )),
    RefusalGround(INDIVIDUAL_UNCONFIRMED, 6, (
        "Giấy tờ, văn bản do cá nhân tự lập nhưng không có xác nhận và đóng dấu của cơ quan, "
        "tổ chức có thẩm quyền."
    )),
)
# code -> legal wording, in the order the screens list them
REFUSAL_GROUNDS: dict[str, str] = {ground.code: ground.text for ground in GROUNDS}
_CLAUSES: dict[str, int] = {ground.code: ground.clause for ground in GROUNDS}


def ground_citation(code: str) -> str:
    """E.g. "khoản 5 Điều 22 Nghị định số 23/2015/NĐ-CP" for a refusal notice (KeyError: unknown code)."""
    return f"khoản {_CLAUSES[code]} {LEGAL_BASIS}"


class CheckItem(NamedTuple):
    code: str
    label: str
    ground: str  # the refusal ground when the check fails


# Positive checks the official confirms on the original before accepting it.
CHECKLIST: tuple[CheckItem, ...] = (
    CheckItem("not_altered", "Bản chính không bị tẩy xóa, sửa chữa, thêm, bớt nội dung không hợp lệ",
              ERASED_OR_ALTERED),
    CheckItem("legible", "Bản chính không bị hư hỏng, cũ nát; xác định được nội dung",
              DAMAGED_ILLEGIBLE),
    CheckItem("not_secret", "Bản chính không đóng dấu mật, không ghi không được sao chụp",
              SECRET_OR_NO_COPY),
    CheckItem("lawful_content", "Nội dung bản chính không trái pháp luật, đạo đức xã hội",
              UNLAWFUL_CONTENT),
    CheckItem("foreign_legalised",
              "Giấy tờ do nước ngoài cấp đã được hợp pháp hóa lãnh sự hoặc được miễn hợp pháp hóa lãnh sự",
              FOREIGN_NOT_LEGALISED),
    CheckItem("individual_confirmed",
              "Giấy tờ do cá nhân tự lập đã có xác nhận và đóng dấu của cơ quan, tổ chức có thẩm quyền",
              INDIVIDUAL_UNCONFIRMED),
)

# --- origin of the original (C1) and consular legalisation (Decree 23 Art. 20(1)) ----------

ORIGIN_VIETNAMESE = "vietnamese"
ORIGIN_FOREIGN = "foreign"
ORIGIN_JOINT = "joint"  # Vietnamese authority jointly with a foreign one
ORIGIN_LABELS: dict[str, str] = {
    ORIGIN_VIETNAMESE: "Do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận",
    ORIGIN_FOREIGN: "Do cơ quan, tổ chức có thẩm quyền của nước ngoài cấp, công chứng hoặc chứng nhận",
    ORIGIN_JOINT: (
        "Do cơ quan, tổ chức có thẩm quyền của Việt Nam liên kết với cơ quan, tổ chức có thẩm "
        "quyền của nước ngoài cấp hoặc chứng nhận"
    ),
}
# Art. 20(1) speaks of papers of a *foreign* authority; a joint paper is issued by the
# Vietnamese side too, so it is not asked for legalisation here (lead: confirm with legal).
ORIGINS_NEEDING_LEGALISATION: frozenset[str] = frozenset({ORIGIN_FOREIGN})

LEGALISED = "legalised"
EXEMPT = "exempt"
NOT_LEGALISED = "not_legalised"
LEGALISATION_LABELS: dict[str, str] = {
    LEGALISED: "Đã được hợp pháp hóa lãnh sự",
    EXEMPT: "Được miễn hợp pháp hóa lãnh sự",
    NOT_LEGALISED: "Chưa được hợp pháp hóa lãnh sự",
}

# Foreign papers certifiable without legalisation (Circular 01/2020/TT-BTP Art. 6).
EXEMPTION_CATEGORIES: dict[str, str] = {
    "passport": "Hộ chiếu",
    "id_card": "Thẻ căn cước, chứng minh nhân dân",
    "residence_card": "Thẻ thường trú, thẻ cư trú",
    "driving_licence": "Giấy phép lái xe",
    "diploma": "Văn bằng, chứng chỉ, bảng điểm",
    "treaty": "Giấy tờ khác được miễn theo điều ước quốc tế hoặc theo nguyên tắc có đi có lại",
}


def original_must_be_refused(origin: str, legalisation: str | None) -> str | None:
    """The refusal ground code if the original's origin/legalisation forbids certifying it."""
    if origin not in ORIGIN_LABELS:
        raise ValueError(f"unknown origin {origin!r}")
    if origin not in ORIGINS_NEEDING_LEGALISATION:
        return None
    if legalisation not in LEGALISATION_LABELS:
        # A foreign paper must have its legalisation status recorded before deciding.
        raise ValueError(f"foreign original needs a legalisation status, got {legalisation!r}")
    return FOREIGN_NOT_LEGALISED if legalisation == NOT_LEGALISED else None


def failed_checks(confirmed: set[str], *, foreign: bool, individual_paper: bool) -> list[str]:
    """Refusal ground codes for the checklist items that apply but were not confirmed."""
    skip = set()
    if not foreign:
        skip.add("foreign_legalised")
    if not individual_paper:
        skip.add("individual_confirmed")
    return [item.ground for item in CHECKLIST if item.code not in skip and item.code not in confirmed]
