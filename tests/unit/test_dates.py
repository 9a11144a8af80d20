from datetime import date

import pytest

from domain.dates import BadDate, parse_day, parse_day_or_none


@pytest.mark.parametrize("text", ["2026-01-02", "02/01/2026", "2/1/2026", "02-01-2026", " 02/01/2026 "])
def test_a_picked_or_typed_date_reads_as_the_same_day(text):
    assert parse_day(text) == parse_day_or_none(text) == date(2026, 1, 2)


@pytest.mark.parametrize("text", ["", "  ", None])
def test_an_empty_field_is_no_date(text):
    assert parse_day(text) is None and parse_day_or_none(text) is None


@pytest.mark.parametrize("text", ["31/02/2026", "hôm qua", "1/2", "02/01/26", "2026-13-01"])
def test_an_unreadable_date_is_refused_in_vietnamese_or_none(text):
    with pytest.raises(BadDate) as err:
        parse_day(text)
    assert f"Ngày «{text}» không hợp lệ" in err.value.message
    assert parse_day_or_none(text) is None
