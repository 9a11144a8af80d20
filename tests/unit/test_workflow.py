import pytest

from domain import workflow as wf
from domain.rights import ALL_RIGHTS, RIGHT_LABELS, Right


@pytest.mark.parametrize(
    ("state", "action", "to", "right"),
    [
        ("draft", "submit", "submitted", Right.CREATE_COPY),
        ("returned", "submit", "submitted", Right.CREATE_COPY),
        ("submitted", "return_for_correction", "returned", Right.SIGN_COPY),
        ("signed", "return_for_correction", "returned", Right.SEAL_COPY),
        ("submitted", "sign", "signed", Right.SIGN_COPY),
        ("signed", "seal", "issued", Right.SEAL_COPY),
        ("draft", "refuse", "refused", Right.CREATE_COPY),
        ("returned", "refuse", "refused", Right.CREATE_COPY),
        ("submitted", "refuse", "refused", Right.SIGN_COPY),
    ],
)
def test_allowed_transition_leads_to_state_and_needs_right(state, action, to, right):
    assert wf.next_state(state, action) == to
    assert wf.required_right(state, action) == right


def test_signing_a_draft_is_illegal_with_a_vietnamese_message():
    with pytest.raises(wf.IllegalTransition) as error:
        wf.next_state("draft", "sign")
    assert error.value.message == "Không thể ký bản sao khi hồ sơ đang ở trạng thái «Đang tiếp nhận»."


@pytest.mark.parametrize("state", sorted(wf.TERMINAL_STATES))
@pytest.mark.parametrize("action", sorted(wf.ACTION_LABELS))
def test_nothing_happens_after_issue_or_refusal(state, action):
    with pytest.raises(wf.IllegalTransition):
        wf.next_state(state, action)


def test_a_signed_dossier_cannot_be_refused_or_signed_again():
    for action in ("refuse", "sign", "submit"):
        with pytest.raises(wf.IllegalTransition):
            wf.next_state("signed", action)


def test_unknown_action_is_illegal_and_unknown_state_is_a_bug():
    with pytest.raises(wf.IllegalTransition, match="Thao tác «publish» không tồn tại"):
        wf.next_state("draft", "publish")
    with pytest.raises(ValueError, match="archived"):  # the log names the bad state
        wf.next_state("archived", "submit")


def test_allowed_actions_filtered_by_rights():
    assert set(wf.allowed_actions("submitted")) == {"sign", "return_for_correction", "refuse"}
    assert wf.allowed_actions("submitted", {Right.CREATE_COPY}) == []
    seal_keeper_actions = wf.allowed_actions("signed", {Right.SEAL_COPY, Right.SIGN_COPY})
    assert seal_keeper_actions == ["return_for_correction", "seal"]


def test_table_only_uses_known_states_actions_and_rights():
    for (source, action), transition in wf.TRANSITIONS.items():
        assert source in wf.STATE_LABELS and transition.to in wf.STATE_LABELS
        assert action in wf.ACTION_LABELS
        assert transition.right in RIGHT_LABELS


def test_every_non_terminal_state_has_a_way_forward_and_a_deadline_step():
    for state in set(wf.STATE_LABELS) - wf.TERMINAL_STATES:
        assert wf.allowed_actions(state)
        assert wf.STEP_OF_STATE[state] in {"intake", "leader", "seal"}


def test_state_and_right_labels_are_the_agreed_vietnamese():
    assert wf.STATE_LABELS == {
        "draft": "Đang tiếp nhận",
        "submitted": "Chờ lãnh đạo ký",
        "returned": "Trả lại để bổ sung",
        "signed": "Chờ đóng dấu, cấp số",
        "issued": "Đã cấp bản sao",
        "refused": "Từ chối chứng thực",
    }
    assert [RIGHT_LABELS[r] for r in ALL_RIGHTS] == [
        "Quyền tạo bản sao",
        "Quyền ký bản sao",
        "Quyền đóng dấu bản sao",
        "Quyền thu phí",
        "Quyền tạo tài khoản cho công dân",
        "Quyền quản trị hệ thống",
    ]


def test_only_the_citizen_account_right_is_reserved_to_one_stop_sections():
    from domain.rights import ONE_STOP_ONLY_RIGHTS, is_known_right

    assert {Right.CREATE_CITIZEN_ACCOUNT} == ONE_STOP_ONLY_RIGHTS
    assert is_known_right("seal_copy") and not is_known_right("delete_everything")
