from datetime import date

import pytest

from domain.idcard.qr import parse_qr_payload

SEVEN = ("001090012345|123456789|Nguyễn Văn An|15011990|Nam|"
         "Số 12 ngõ 5, Phường Láng Hạ, Quận Đống Đa, Hà Nội|20052021")


def test_parses_the_documented_seven_fields():
    qr = parse_qr_payload(SEVEN)
    assert qr.id_number == "001090012345"
    assert qr.old_id_number == "123456789"
    assert qr.full_name == "Nguyễn Văn An"
    assert qr.date_of_birth == date(1990, 1, 15)
    assert qr.sex == "Nam"
    assert qr.place_of_residence.startswith("Số 12 ngõ 5")
    assert qr.issue_date == date(2021, 5, 20)


def test_six_fields_without_old_id():
    qr = parse_qr_payload(
        "079301234567|Trần Thị Bình|01022001|Nữ|Phường Bến Nghé, Quận 1, TP Hồ Chí Minh|10102022"
    )
    assert qr.id_number == "079301234567" and qr.old_id_number is None
    assert qr.full_name == "Trần Thị Bình" and qr.sex == "Nữ"
    assert qr.date_of_birth == date(2001, 2, 1) and qr.issue_date == date(2022, 10, 10)


def test_extra_fields_of_the_2024_card_do_not_displace_the_holder():
    payload = SEVEN.replace("|123456789|", "||") + "|Nguyễn Văn Bố|Lê Thị Mẹ"
    qr = parse_qr_payload(payload)
    assert qr.full_name == "Nguyễn Văn An" and qr.old_id_number is None
    assert qr.extra == ["Nguyễn Văn Bố", "Lê Thị Mẹ"]


def test_fields_are_classified_by_shape_not_position():
    qr = parse_qr_payload("Nguyễn Văn An|001090012345|Nam|15011990|Thôn Đông, Xã Tân Lập, Hà Nội|20052021")
    assert qr.id_number == "001090012345" and qr.full_name == "Nguyễn Văn An"
    assert qr.date_of_birth == date(1990, 1, 15) and qr.issue_date == date(2021, 5, 20)


@pytest.mark.parametrize("payload", ["https://example.vn", "1|2|3|4|5|6", "001090012345|An"])
def test_other_qr_codes_are_refused(payload):
    with pytest.raises(ValueError):
        parse_qr_payload(payload)
