from datetime import UTC, date, datetime

import pytest

from domain.calendar import LOCAL_TZ, OfficeCalendar
from domain.deadlines import (
    ExtensionRefused,
    due_badge,
    extend_due,
    needs_appointment_slip,
    result_due,
    step_due,
)

CAL = OfficeCalendar()


def at(y, m, d, hh=0, mm=0, ss=0):
    return datetime(y, m, d, hh, mm, ss, tzinfo=LOCAL_TZ)


# --- result_due ---------------------------------------------------------------------------

def test_received_before_15h_is_due_at_closing_the_same_day():
    assert result_due(at(2026, 3, 4, 14, 59), CAL) == at(2026, 3, 4, 17)


def test_received_before_opening_on_a_working_day_is_due_the_same_day():
    assert result_due(at(2026, 3, 4, 7, 30), CAL) == at(2026, 3, 4, 17)


def test_received_after_15h_is_due_at_closing_the_next_working_day():
    assert result_due(at(2026, 3, 4, 15, 1), CAL) == at(2026, 3, 5, 17)


def test_received_at_exactly_15h_is_due_the_next_working_day():
    assert result_due(at(2026, 3, 4, 15, 0), CAL) == at(2026, 3, 5, 17)


def test_received_after_closing_is_due_the_next_working_day():
    assert result_due(at(2026, 3, 4, 18, 0), CAL) == at(2026, 3, 5, 17)


def test_friday_afternoon_is_due_monday():
    assert result_due(at(2026, 3, 6, 16), CAL) == at(2026, 3, 9, 17)


@pytest.mark.parametrize("day", [7, 8])
def test_received_on_the_weekend_is_due_at_the_end_of_monday(day):
    assert result_due(at(2026, 3, day, 10), CAL) == at(2026, 3, 9, 17)


def test_received_during_tet_is_due_after_the_holiday():
    assert CAL.is_public_holiday(date(2026, 2, 17))
    assert result_due(at(2026, 2, 17, 9), CAL) == at(2026, 2, 23, 17)


def test_received_the_day_before_tet_after_15h_is_due_after_the_holiday():
    assert result_due(at(2026, 2, 13, 15, 30), CAL) == at(2026, 2, 23, 17)


def test_extra_day_off_pushes_the_deadline():
    cal = OfficeCalendar(extra_days_off=frozenset({date(2026, 3, 5)}))
    assert result_due(at(2026, 3, 4, 16), cal) == at(2026, 3, 6, 17)
    assert result_due(at(2026, 3, 5, 9), cal) == at(2026, 3, 6, 17)


def test_friday_afternoon_before_a_makeup_saturday_is_due_that_saturday():
    cal = OfficeCalendar(
        extra_days_off=frozenset({date(2026, 1, 2)}), makeup_working_days=frozenset({date(2026, 1, 10)})
    )
    assert result_due(at(2026, 1, 9, 16), cal) == at(2026, 1, 10, 17)


def test_without_the_makeup_day_friday_afternoon_is_due_monday():
    assert result_due(at(2026, 1, 9, 16), CAL) == at(2026, 1, 12, 17)


def test_saturday_reception_after_its_closing_is_due_next_working_day():
    cal = OfficeCalendar(saturday_reception=True)
    assert result_due(at(2026, 3, 7, 10), cal) == at(2026, 3, 7, 12)
    assert result_due(at(2026, 3, 7, 13), cal) == at(2026, 3, 9, 17)


def test_received_at_the_saturday_closing_itself_is_not_due_that_very_minute():
    cal = OfficeCalendar(saturday_reception=True)
    assert result_due(at(2026, 3, 7, 12), cal) == at(2026, 3, 9, 17)


def test_naive_input_is_local_time_and_result_is_aware():
    due = result_due(datetime(2026, 3, 4, 14, 0))
    assert due == at(2026, 3, 4, 17)
    assert due.tzinfo is not None


def test_utc_input_is_converted_before_applying_the_15h_cutoff():
    # 08:30 UTC = 15:30 in Hà Nội: after the cutoff.
    assert result_due(datetime(2026, 3, 4, 8, 30, tzinfo=UTC), CAL) == at(2026, 3, 5, 17)


# --- extend_due ---------------------------------------------------------------------------

@pytest.mark.parametrize(("days", "expected"), [(1, at(2026, 3, 9, 17)), (2, at(2026, 3, 10, 17))])
def test_extension_adds_working_days_up_to_two(days, expected):
    assert extend_due(at(2026, 3, 6, 17), days, CAL) == expected


def test_extension_of_three_days_is_refused_without_written_agreement():
    with pytest.raises(ExtensionRefused) as error:
        extend_due(at(2026, 3, 6, 17), 3, CAL)
    assert error.value.message == (
        "Chỉ được gia hạn tối đa 2 ngày làm việc; gia hạn lâu hơn cần có thỏa thuận bằng văn bản với người "
        "yêu cầu chứng thực.")


def test_extension_of_three_days_is_accepted_with_written_agreement():
    assert extend_due(at(2026, 3, 6, 17), 3, CAL, written_agreement=True) == at(2026, 3, 11, 17)


@pytest.mark.parametrize("days", [0, -1, True])
def test_extension_needs_a_positive_whole_number_of_days(days):
    with pytest.raises(ExtensionRefused) as error:
        extend_due(at(2026, 3, 6, 17), days, CAL)
    assert error.value.message == "Số ngày gia hạn phải là số nguyên dương."


def test_extension_skips_the_offices_own_day_off():
    cal = OfficeCalendar(extra_days_off=frozenset({date(2026, 3, 9)}))
    assert extend_due(at(2026, 3, 6, 17), 1, cal) == at(2026, 3, 10, 17)


# --- step_due -----------------------------------------------------------------------------

def test_intake_has_four_working_hours_across_lunch():
    assert step_due("intake", at(2026, 3, 4, 10), CAL) == at(2026, 3, 4, 15)


def test_complex_intake_has_sixteen_working_hours():
    assert step_due("intake", at(2026, 3, 4, 10), CAL, complex=True) == at(2026, 3, 6, 10)


def test_leader_step_carries_overnight():
    assert step_due("leader", at(2026, 3, 4, 16), CAL) == at(2026, 3, 5, 9)


def test_seal_step_has_two_working_hours():
    assert step_due("seal", at(2026, 3, 4, 8), CAL) == at(2026, 3, 4, 10)


def test_leader_step_counts_the_offices_saturday_reception():
    cal = OfficeCalendar(saturday_reception=True)
    assert step_due("leader", at(2026, 3, 6, 16), cal) == at(2026, 3, 7, 9)


def test_unknown_step_is_an_error():
    with pytest.raises(ValueError, match="'archive'"):
        step_due("archive", at(2026, 3, 4, 8), CAL)


# --- due_badge ----------------------------------------------------------------------------

def test_badge_on_time_when_more_than_one_working_hour_left():
    assert due_badge(at(2026, 3, 4, 17), at(2026, 3, 4, 15, 59), CAL) == "on_time"


def test_badge_due_soon_within_one_working_hour():
    assert due_badge(at(2026, 3, 4, 17), at(2026, 3, 4, 16), CAL) == "due_soon"
    assert due_badge(at(2026, 3, 4, 17), at(2026, 3, 4, 17), CAL) == "due_soon"


def test_badge_counts_working_hours_not_clock_hours():
    # Due Monday 08:30, now Friday 16:45: 45 working minutes left.
    assert due_badge(at(2026, 3, 9, 8, 30), at(2026, 3, 6, 16, 45), CAL) == "due_soon"


def test_badge_counts_the_offices_saturday_reception():
    # The same Friday 16:45 with a Saturday morning of reception: 4 h 45 left.
    cal = OfficeCalendar(saturday_reception=True)
    assert due_badge(at(2026, 3, 9, 8, 30), at(2026, 3, 6, 16, 45), cal) == "on_time"


def test_badge_overdue_after_the_due_time():
    assert due_badge(at(2026, 3, 4, 17), at(2026, 3, 4, 17, 0, 1), CAL) == "overdue"


# --- appointment slip ---------------------------------------------------------------------

def test_appointment_slip_needed_when_result_is_not_the_same_day():
    received = at(2026, 3, 4, 16)
    assert needs_appointment_slip(received, result_due(received, CAL))


def test_no_appointment_slip_for_a_same_day_result():
    received = at(2026, 3, 4, 9)
    assert not needs_appointment_slip(received, result_due(received, CAL))
