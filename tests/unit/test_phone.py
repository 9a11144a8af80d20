import pytest

from domain.phone import InvalidPhone, normalize_vn_mobile, phone_search_key


@pytest.mark.parametrize(
    "text",
    ["0912 345 678", "+84912345678", "0912.345.678", "84912345678", "(091) 234-5678",
     " 0912345678 ", "+84 (0) 912 345 678"],
)
def test_common_ways_of_writing_a_mobile_number_normalise_to_ten_digits(text):
    assert normalize_vn_mobile(text) == "0912345678"


@pytest.mark.parametrize("number", ["0389123456", "0567123456", "0701234567", "0812345678", "0987654321"])
def test_every_mobile_prefix_is_accepted(number):
    assert normalize_vn_mobile(number) == number


@pytest.mark.parametrize(
    "text",
    [
        "024 3825 1234",  # Hà Nội landline
        "0123456789",  # old 11-digit era prefix, not a mobile
        "912345678",  # no national prefix: could be a 9-digit CMND
        "091234567",  # too short
        "09123456789",  # too long
        "+1 650 253 0000",  # not Vietnamese
        "0912abc678",
        "",
        "001234567890",  # a 12-digit CCCD
    ],
)
def test_non_mobile_input_raises_with_a_vietnamese_message(text):
    with pytest.raises(InvalidPhone) as error:
        normalize_vn_mobile(text)
    assert error.value.message == "Số điện thoại di động không hợp lệ (cần 10 chữ số, ví dụ 0912 345 678)."


def test_search_key_normalises_phone_like_text():
    assert phone_search_key("+84 912.345.678") == "0912345678"


@pytest.mark.parametrize("text", ["Nguyễn Văn An", "001234567890", "0912", None])
def test_search_key_is_none_for_text_that_is_not_a_mobile(text):
    assert phone_search_key(text) is None
