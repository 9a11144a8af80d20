"""Our dossier events and states in the codes of the national public-service portal / the province's
one-stop system (the LGSP "sync dossier" service): the one place that names them.

The codes follow the status list of the dossier-sync service as we read it (1 new, 2 received,
3 not received/refused, 4 in progress, 5 awaiting additions, 9 result ready, 10 result returned).
Confirm them against the province's LGSP service document before going live: only this table changes."""
from __future__ import annotations

from domain import workflow

RECEIVED = "received"
FEE_PAID = "fee_paid"
SUBMITTED = "submitted"
RETURNED = "returned"
SIGNED = "signed"
SEALED = "sealed"
DELIVERED = "delivered"
REFUSED = "refused"

EVENT_KINDS: tuple[str, ...] = (RECEIVED, FEE_PAID, SUBMITTED, RETURNED, SIGNED, SEALED, DELIVERED, REFUSED)

# event kind -> (portal status code, Vietnamese label)
PORTAL_STATUS: dict[str, tuple[str, str]] = {
    RECEIVED: ("2", "Đã tiếp nhận"),
    FEE_PAID: ("2", "Đã tiếp nhận, đã nộp phí"),
    SUBMITTED: ("4", "Đang giải quyết"),
    RETURNED: ("4", "Đang giải quyết (trả lại để bổ sung, chỉnh sửa)"),
    SIGNED: ("4", "Đang giải quyết (lãnh đạo đã ký)"),
    SEALED: ("9", "Đã có kết quả"),
    DELIVERED: ("10", "Đã trả kết quả"),
    REFUSED: ("3", "Từ chối giải quyết"),
}

# our dossier state -> (portal status code, Vietnamese label), for a dossier read without its events
STATE_STATUS: dict[str, tuple[str, str]] = {
    workflow.DRAFT: PORTAL_STATUS[RECEIVED],
    workflow.RETURNED: PORTAL_STATUS[RETURNED],
    workflow.SUBMITTED: PORTAL_STATUS[SUBMITTED],
    workflow.SIGNED: PORTAL_STATUS[SIGNED],
    workflow.ISSUED: PORTAL_STATUS[SEALED],
    workflow.REFUSED: PORTAL_STATUS[REFUSED],
}


def portal_status(kind: str) -> dict:
    code, label = PORTAL_STATUS[kind]
    return {"code": code, "label": label}


def portal_status_of_state(state: str) -> dict:
    code, label = STATE_STATUS[state]
    return {"code": code, "label": label}
