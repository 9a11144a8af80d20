from datetime import date

from domain.idcard.printed import parse_printed_text

FRONT_2021 = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
CĂN CƯỚC CÔNG DÂN
số/No: 001090012345
Họ và tên / Full name:
NGUYỄN VĂN AN
Ngày sinh / Date of birth: 15/01/1990
C Giới tính / Sex: Nam Quốc tịch / Nationality: Việt Nam
Quê quán / Place of origin:
Xã Tân Lập, Huyện Đan Phượng, Hà Nội
Nơi thường trú / Place of residence:
Số 12 ngõ 5, Phường Láng Hạ, Quận Đống Đa,
Hà Nội
Có giá trị đến: 15/01/2030
Date of expiry
"""

FRONT_2024 = """CĂN CƯỚC
IDENTITY CARD
Số định danh cá nhân / Personal identification number:
079301234567
Họ, chữ đệm và tên khai sinh / Full name:
TRẦN THỊ BÌNH
Ngày, tháng, năm sinh / Date of birth: 01/02/2001
Giới tính / Sex: Nữ Quốc tịch / Nationality: Việt Nam
"""

BACK_2024 = """Nơi cư trú / Place of residence:
Số 8 đường Trần Phú,
Phường Bến Nghé, Quận 1, TP Hồ Chí Minh
Nơi đăng ký khai sinh / Place of birth:
Xã Nhơn Ái, Huyện Phong Điền, Cần Thơ
Ngày, tháng, năm cấp / Date of issue: 10/07/2024
Ngày, tháng, năm hết hạn / Date of expiry: 01/02/2026
"""


def test_reads_every_field_of_the_2021_front():
    p = parse_printed_text(FRONT_2021)
    assert p.card_model == "2021"
    assert p.id_number == "001090012345"
    assert p.full_name == "NGUYỄN VĂN AN"
    assert p.date_of_birth == date(1990, 1, 15)
    assert (p.sex, p.nationality) == ("Nam", "Việt Nam")
    assert p.place_of_origin == "Xã Tân Lập, Huyện Đan Phượng, Hà Nội"
    assert p.place_of_residence == "Số 12 ngõ 5, Phường Láng Hạ, Quận Đống Đa, Hà Nội"
    assert p.expiry_date == date(2030, 1, 15)


def test_reads_the_2024_front_with_its_own_labels():
    p = parse_printed_text(FRONT_2024)
    assert p.card_model == "2024"
    assert p.id_number == "079301234567"
    assert p.full_name == "TRẦN THỊ BÌNH"
    assert p.date_of_birth == date(2001, 2, 1)
    assert p.sex == "Nữ"


def test_reads_the_2024_back_dates_and_places():
    p = parse_printed_text(BACK_2024)
    assert p.issue_date == date(2024, 7, 10) and p.expiry_date == date(2026, 2, 1)
    assert p.place_of_residence == "Số 8 đường Trần Phú, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh"
    assert p.place_of_birth == "Xã Nhơn Ái, Huyện Phong Điền, Cần Thơ"


def test_labels_with_ocr_slips_and_letter_digit_confusions():
    text = "Số / No.: OO1O9OO12345\nFull name:\nLÊ VĂN TÁM\nDate of birth: 15/O1/199O\nSex: Nữ\n"
    p = parse_printed_text(text)
    assert p.id_number == "001090012345"
    assert p.full_name == "LÊ VĂN TÁM"
    assert p.date_of_birth == date(1990, 1, 15)
    assert p.sex == "Nữ"


def test_text_without_labels_gives_nothing():
    assert parse_printed_text("hello world\nlorem ipsum").fields() == {}
