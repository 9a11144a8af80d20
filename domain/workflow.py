"""Dossier states and the one table of allowed transitions (SPEC C8, C10–C12, C7).

    draft/returned --submit--> submitted --sign--> signed --seal--> issued
    submitted --return_for_correction--> returned   (leader sends it back)
    signed --return_for_correction--> returned      (seal keeper finds a fault; the leader
                                                     must sign again after correction)
    draft/returned/submitted --refuse--> refused    (with a ground from domain.refusal)
"""

from __future__ import annotations

from typing import NamedTuple

from domain.errors import DomainError
from domain.rights import Right

DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
SIGNED = "signed"
ISSUED = "issued"
REFUSED = "refused"

STATE_LABELS: dict[str, str] = {
    DRAFT: "Đang tiếp nhận",
    SUBMITTED: "Chờ lãnh đạo ký",
    RETURNED: "Trả lại để bổ sung",
    SIGNED: "Chờ đóng dấu, cấp số",
    ISSUED: "Đã cấp bản sao",
    REFUSED: "Từ chối chứng thực",
}
TERMINAL_STATES: frozenset[str] = frozenset({ISSUED, REFUSED})

SUBMIT = "submit"
RETURN_FOR_CORRECTION = "return_for_correction"
SIGN = "sign"
SEAL = "seal"
REFUSE = "refuse"

# Verb phrases for messages: "Không thể <label> khi hồ sơ ...".
ACTION_LABELS: dict[str, str] = {
    SUBMIT: "trình lãnh đạo ký",
    RETURN_FOR_CORRECTION: "trả lại hồ sơ để bổ sung",
    SIGN: "ký bản sao",
    SEAL: "đóng dấu, cấp số chứng thực",
    REFUSE: "từ chối chứng thực",
}


class Transition(NamedTuple):
    to: str
    right: str


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (DRAFT, SUBMIT): Transition(SUBMITTED, Right.CREATE_COPY),
    (RETURNED, SUBMIT): Transition(SUBMITTED, Right.CREATE_COPY),
    (SUBMITTED, RETURN_FOR_CORRECTION): Transition(RETURNED, Right.SIGN_COPY),
    (SIGNED, RETURN_FOR_CORRECTION): Transition(RETURNED, Right.SEAL_COPY),
    (SUBMITTED, SIGN): Transition(SIGNED, Right.SIGN_COPY),
    (SIGNED, SEAL): Transition(ISSUED, Right.SEAL_COPY),
    (DRAFT, REFUSE): Transition(REFUSED, Right.CREATE_COPY),
    (RETURNED, REFUSE): Transition(REFUSED, Right.CREATE_COPY),
    (SUBMITTED, REFUSE): Transition(REFUSED, Right.SIGN_COPY),
}

# Which deadline step (domain.deadlines) a dossier in this state is waiting on.
STEP_OF_STATE: dict[str, str] = {
    DRAFT: "intake",
    RETURNED: "intake",
    SUBMITTED: "leader",
    SIGNED: "seal",
}


class IllegalTransition(DomainError):
    """An action not allowed in the dossier's state; `message` is for the user."""


def _transition(state: str, action: str) -> Transition:
    if state not in STATE_LABELS:
        raise ValueError(f"unknown dossier state {state!r}")
    if action not in ACTION_LABELS:
        raise IllegalTransition(f"Thao tác «{action}» không tồn tại.")
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise IllegalTransition(
            f"Không thể {ACTION_LABELS[action]} khi hồ sơ đang ở trạng thái «{STATE_LABELS[state]}»."
        ) from None


def next_state(state: str, action: str) -> str:
    """The state after `action`, or IllegalTransition."""
    return _transition(state, action).to


def required_right(state: str, action: str) -> str:
    """The right the acting official needs for `action` in `state` (IllegalTransition if none)."""
    return _transition(state, action).right


def allowed_actions(state: str, rights: set[str] | frozenset[str] | None = None) -> list[str]:
    """Actions possible from `state`, optionally only those the given rights permit."""
    return [
        action
        for (source, action), transition in TRANSITIONS.items()
        if source == state and (rights is None or transition.right in rights)
    ]
