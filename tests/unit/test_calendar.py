from datetime import UTC, date, datetime, time, timedelta

import pytest

from domain.calendar import LOCAL_TZ, OfficeCalendar

CAL = OfficeCalendar()


def at(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=LOCAL_TZ)


def test_weekdays_are_working_days_weekends_are_not():
    assert CAL.is_working_day(date(2026, 3, 6))  # Friday
    assert not CAL.is_working_day(date(2026, 3, 7))  # Saturday
    assert not CAL.is_working_day(date(2026, 3, 8))  # Sunday


@pytest.mark.parametrize("d", [date(2026, 2, d) for d in (16, 17, 18, 19, 20)])
def test_tet_2026_weekdays_are_public_holidays(d):
    assert CAL.is_public_holiday(d)
    assert not CAL.is_working_day(d)


def test_tet_2027_includes_days_around_lunar_new_year():
    assert not CAL.is_working_day(date(2027, 2, 4))  # 29 Tết, Thursday
    assert not CAL.is_working_day(date(2027, 2, 10))  # Wednesday
    assert CAL.is_working_day(date(2027, 2, 11))


def test_extra_day_off_is_not_a_working_day():
    cal = OfficeCalendar(extra_days_off=frozenset({date(2026, 1, 2)}))
    assert CAL.is_working_day(date(2026, 1, 2))
    assert not cal.is_working_day(date(2026, 1, 2))


def test_makeup_saturday_is_a_full_working_day():
    cal = OfficeCalendar(makeup_working_days=frozenset({date(2026, 1, 10)}))
    assert cal.is_working_day(date(2026, 1, 10))
    assert cal.end_of_day(date(2026, 1, 10)) == at(2026, 1, 10, 17)


def test_official_swap_known_to_holidays_package_is_applied():
    # 2026: Monday 31 Aug off in exchange for Saturday 22 Aug.
    assert not CAL.is_working_day(date(2026, 8, 31))
    assert CAL.is_working_day(date(2026, 8, 22))


def test_saturday_reception_opens_saturday_morning_only():
    cal = OfficeCalendar(saturday_reception=True)
    assert cal.is_working_day(date(2026, 3, 7))
    assert cal.periods_on(date(2026, 3, 7)) == [(at(2026, 3, 7, 8), at(2026, 3, 7, 12))]
    assert not cal.is_working_day(date(2026, 3, 8))


def test_saturday_reception_closed_on_extra_days_off_and_saturday_holidays():
    cal = OfficeCalendar(saturday_reception=True, extra_days_off=frozenset({date(2026, 2, 14)}))
    assert not cal.is_working_day(date(2026, 2, 14))  # Tết 2026 break
    assert not cal.is_working_day(date(2027, 5, 1))  # Labour Day on a Saturday


def test_periods_are_aware_in_ho_chi_minh_time():
    periods = CAL.periods_on(date(2026, 3, 6))
    assert periods == [(at(2026, 3, 6, 8), at(2026, 3, 6, 12)), (at(2026, 3, 6, 13), at(2026, 3, 6, 17))]
    assert periods[0][0].utcoffset() == timedelta(hours=7)


def test_custom_office_hours_are_used():
    cal = OfficeCalendar(office_hours=[(time(7, 30), time(11, 30)), (time(13, 30), time(16, 30))])
    assert cal.end_of_day(date(2026, 3, 6)) == at(2026, 3, 6, 16, 30)


def test_invalid_configuration_is_refused():
    with pytest.raises(ValueError):
        OfficeCalendar(office_hours=[(time(12), time(8))])
    with pytest.raises(ValueError):
        OfficeCalendar(office_hours=[(time(8), time(12)), (time(11), time(17))])
    with pytest.raises(ValueError):
        OfficeCalendar(extra_days_off={date(2026, 1, 10)}, makeup_working_days={date(2026, 1, 10)})


def test_the_office_settings_as_lists_make_the_same_calendar():
    """The office's settings arrive as lists (JSON); the calendar keeps them as tuples and frozensets, so
    two offices with the same settings have equal calendars, usable as cache keys (frozen and hashable)."""
    from_settings = OfficeCalendar(
        office_hours=[[time(7, 30), time(11, 30)], [time(13, 30), time(16, 30)]],
        saturday_reception=True, saturday_hours=[[time(7, 30), time(11)]],
        extra_days_off=[date(2026, 1, 2)], makeup_working_days=[date(2026, 1, 10)])
    as_tuples = OfficeCalendar(
        office_hours=((time(7, 30), time(11, 30)), (time(13, 30), time(16, 30))),
        saturday_reception=True, saturday_hours=((time(7, 30), time(11)),),
        extra_days_off=frozenset({date(2026, 1, 2)}), makeup_working_days=frozenset({date(2026, 1, 10)}))
    assert from_settings == as_tuples and hash(from_settings) == hash(as_tuples)


def test_touching_periods_are_one_working_day_without_a_break():
    cal = OfficeCalendar(office_hours=[(time(8), time(12)), (time(12), time(17))])
    assert cal.add_working_hours(at(2026, 3, 6, 11), 2) == at(2026, 3, 6, 13)


def test_a_wrong_setting_is_named_in_the_error():
    with pytest.raises(ValueError, match=r"^office_hours: period 12:00:00–12:00:00 is empty$"):
        OfficeCalendar(office_hours=[(time(12), time(12))])
    with pytest.raises(ValueError, match=r"^saturday_hours: period 11:00:00–08:00:00 is empty$"):
        OfficeCalendar(saturday_hours=[(time(11), time(8))])
    with pytest.raises(ValueError, match=r"^office_hours: periods must be sorted and not overlap$"):
        OfficeCalendar(office_hours=[(time(8), time(12)), (time(11), time(17))])
    with pytest.raises(ValueError, match=r"^office_hours must have at least one period$"):
        OfficeCalendar(office_hours=[])
    both = r"^days both off and make-up working: \[datetime.date\(2026, 1, 10\)\]$"
    with pytest.raises(ValueError, match=both):
        OfficeCalendar(extra_days_off={date(2026, 1, 10)}, makeup_working_days={date(2026, 1, 10)})


def test_end_of_day_on_a_day_off_is_an_error():
    with pytest.raises(ValueError, match=r"^2026-03-07 is not a working day$"):
        CAL.end_of_day(date(2026, 3, 7))


def test_a_calendar_closed_for_a_year_is_an_error_not_a_date_beyond():
    start = date(2026, 3, 6)
    closed = OfficeCalendar(extra_days_off={start + timedelta(days=k) for k in range(1, 365)})
    with pytest.raises(ValueError, match=r"^no working day within a year$"):
        closed.next_working_day(start)  # 367 days on (Monday 8 March 2027) would be open
    with pytest.raises(ValueError, match=r"^too many working hours for the calendar$"):
        CAL.add_working_hours(at(2026, 3, 6, 8), 24 * 400)


def test_a_datetime_is_taken_on_its_local_day():
    friday_night_utc = datetime(2026, 3, 6, 20, tzinfo=UTC)  # Saturday 03:00 in Hà Nội
    assert not CAL.is_working_day(friday_night_utc)
    assert CAL.periods_on(friday_night_utc) == []


def test_next_working_day_skips_weekend_and_tet():
    assert CAL.next_working_day(date(2026, 3, 6)) == date(2026, 3, 9)
    assert CAL.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)


def test_half_an_hour_and_no_hour_are_working_times_too():
    assert CAL.add_working_hours(at(2026, 3, 6, 9), 0.5) == at(2026, 3, 6, 9, 30)
    assert CAL.add_working_hours(at(2026, 3, 6, 9), 0) == at(2026, 3, 6, 9)
    with pytest.raises(ValueError, match=r"^hours must not be negative$"):
        CAL.add_working_hours(at(2026, 3, 6, 9), -1)


def test_add_working_hours_skips_lunch():
    assert CAL.add_working_hours(at(2026, 3, 6, 11), 2) == at(2026, 3, 6, 14)


def test_add_working_hours_carries_over_night_and_weekend():
    assert CAL.add_working_hours(at(2026, 3, 6, 16), 2) == at(2026, 3, 9, 9)


def test_add_working_hours_ending_at_closing_stays_on_that_day():
    assert CAL.add_working_hours(at(2026, 3, 6, 15), 2) == at(2026, 3, 6, 17)


def test_add_working_hours_from_outside_office_hours_starts_at_next_opening():
    assert CAL.add_working_hours(at(2026, 3, 6, 19), 1.5) == at(2026, 3, 9, 9, 30)


def test_add_working_hours_converts_utc_input_to_local_time():
    utc_start = datetime(2026, 3, 6, 2, tzinfo=UTC)  # 09:00 in Hà Nội
    assert CAL.add_working_hours(utc_start, 1) == at(2026, 3, 6, 10)


def test_working_hours_between_counts_only_office_hours():
    assert CAL.working_hours_between(at(2026, 3, 6, 11), at(2026, 3, 6, 14)) == 2
    assert CAL.working_hours_between(at(2026, 3, 6, 16), at(2026, 3, 9, 9)) == 2
    assert CAL.working_hours_between(at(2026, 3, 9, 9), at(2026, 3, 6, 16)) == -2


def test_national_day_is_a_holiday_in_each_year():
    assert not CAL.is_working_day(date(2025, 9, 2))
    assert not CAL.is_working_day(date(2026, 9, 2))
    assert CAL.is_working_day(date(2026, 9, 3))
