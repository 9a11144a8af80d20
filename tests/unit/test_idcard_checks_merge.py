from datetime import date

from domain.idcard import merge_sources, parse_printed_text, parse_qr_payload, parse_td1
from domain.idcard.checks import check_dates, check_id_number

TODAY = date(2025, 6, 1)
QR = "001090012345|123456789|Nguyễn Văn An|15011990|Nam|Phường Láng Hạ, Quận Đống Đa, Hà Nội|20052021"
MRZ = ["IDVNM0900123450001090012345<<1", "9001158M3001156VNM<<<<<<<<<<<8", "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"]


def test_consistent_id_gives_no_warning():
    assert check_id_number("001090012345", date(1990, 1, 15), "Nam") == []
    assert check_id_number("079301234567", date(2001, 2, 1), "Nữ") == []


def test_id_century_sex_and_year_are_cross_checked():
    warnings = check_id_number("001190012345", date(1991, 1, 15), "Nam")
    assert any("Năm sinh" in w for w in warnings)
    assert any("Giới tính" in w for w in warnings)


def test_unknown_province_code_is_warned_not_rejected():
    warnings = check_id_number("003090012345", date(1990, 1, 15), "Nam")
    assert len(warnings) == 1 and "Mã tỉnh «003»" in warnings[0]


def test_wrong_length_id_is_reported():
    assert check_id_number("00109001234") and "12 chữ số" in check_id_number("00109001234")[0]


def test_dates_must_be_plausible_and_ordered():
    assert check_dates(date(1990, 1, 15), date(2021, 5, 20), date(2030, 1, 15), TODAY) == []
    assert any(
        "không sau ngày cấp" in w for w in check_dates(None, date(2021, 5, 20), date(2020, 1, 1), TODAY)
    )
    assert any("tương lai" in w for w in check_dates(date(2030, 1, 1), None, None, TODAY))
    assert any("hết hạn" in w for w in check_dates(None, None, date(2024, 1, 1), TODAY))


def test_merge_prefers_qr_then_mrz_then_ocr_and_records_sources():
    printed = parse_printed_text(
        "Quê quán / Place of origin:\nXã Tân Lập, Hà Nội\nCó giá trị đến: 15/01/2030"
    )
    data = merge_sources(parse_qr_payload(QR), parse_td1(MRZ), printed, TODAY)
    assert data.full_name == "Nguyễn Văn An" and data.sources["full_name"] == "qr"
    assert data.expiry_date == date(2030, 1, 15) and data.sources["expiry_date"] == "mrz"
    assert data.nationality == "Việt Nam" and data.sources["nationality"] == "mrz"
    assert data.place_of_origin == "Xã Tân Lập, Hà Nội" and data.sources["place_of_origin"] == "ocr"
    assert data.warnings == []
    as_json = data.to_json_dict()
    assert as_json["date_of_birth"] == "1990-01-15" and as_json["expiry_date"] == "2030-01-15"


def test_ocr_disagreeing_with_qr_or_mrz_is_dropped_without_crying_wolf():
    printed = parse_printed_text("Ngày sinh / Date of birth: 16/01/1990\nCó giá trị đến: 15/01/2031")
    data = merge_sources(parse_qr_payload(QR), parse_td1(MRZ), printed, TODAY)
    assert data.date_of_birth == date(1990, 1, 15) and data.expiry_date == date(2030, 1, 15)
    assert data.warnings == []
    assert data.confirmed_by["expiry_date"] == "mrz" and "date_of_birth" in data.confirmed_by


def test_qr_and_mrz_disagreeing_is_warned_on_that_field():
    other = ["IDVNM0900123450001090012345<<1", "9001168M3001156VNM<<<<<<<<<<<8", MRZ[2]]
    other[1] = (
        "900116" + str(__import__("domain.idcard.mrz", fromlist=["x"]).check_digit("900116")) + other[1][7:]
    )
    data = merge_sources(parse_qr_payload(QR), parse_td1(other), None, TODAY)
    assert data.date_of_birth == date(1990, 1, 15)
    assert any(w.startswith("Ngày sinh: mã QR ghi «15/01/1990» nhưng MRZ ghi «16/01/1990»")
               for w in data.field_warnings["date_of_birth"])


def test_failed_mrz_check_is_warned_and_its_value_dropped():
    bad = [MRZ[0], "9001178M3001156VNM<<<<<<<<<<<8", MRZ[2]]
    data = merge_sources(None, parse_td1(bad), None, TODAY)
    assert data.date_of_birth is None
    assert any("Số kiểm tra MRZ không khớp ở trường Ngày sinh" in w for w in data.warnings)


def test_ocr_only_reading_is_title_cased_and_checked():
    printed = parse_printed_text("Số / No.: 001190012345\nHọ và tên / Full name:\nNGUYỄN VĂN AN\n"
                                 "Ngày sinh / Date of birth: 15/01/1990\nGiới tính / Sex: Nam")
    data = merge_sources(None, None, printed, TODAY)
    assert data.full_name == "Nguyễn Văn An" and set(data.sources.values()) == {"ocr"}
    assert any("Giới tính theo số định danh (Nữ)" in w for w in data.warnings)
