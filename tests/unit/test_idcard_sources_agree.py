"""Issue 31: the print is the source of names and places, the MRZ confirms it; warnings name a real
doubt; every field says how sure it is."""
from datetime import date

from domain.idcard import merge_sources, parse_printed_text, parse_qr_payload, parse_td1
from domain.idcard.checks import birth_place_warnings
from domain.idcard.validate import check_place

TODAY = date(2025, 6, 1)
L1 = "IDVNM0490477906030049047790<<5"
NO_EXPIRY_L2 = "4907277M<<<<<<0VNM<<<<<<<<<<<4"


def test_a_card_without_expiry_has_a_filler_check_digit_of_0_and_no_warning():
    for line2 in (NO_EXPIRY_L2, NO_EXPIRY_L2[:14] + "Q" + NO_EXPIRY_L2[15:],  # '0' read as 'Q'
                  NO_EXPIRY_L2[:-1] + "<4", NO_EXPIRY_L2[:20] + NO_EXPIRY_L2[21:]):  # fillers miscounted
        mrz = parse_td1([L1, line2, "HUYNH<<DINH<CUONG<<<<<<<<<<<<<"])
        assert mrz.no_expiry and mrz.failed == [] and mrz.date_of_birth == date(1949, 7, 27), line2
        data = merge_sources(None, mrz, None, TODAY)
        assert data.expiry_date is None and "expiry_date" not in data.field_warnings


def test_printed_no_expiry_is_known_and_stays_out_of_the_address():
    text = ("Nơi thường trú / Place of residence:\nSố 27 đường Phan Đình Phùng, Xã Thủy Sơn,\n"
            "Có giá trị đến: Không thời hạn\nHuyện Thủy Nguyên, Hải Phòng\n")
    printed = parse_printed_text(text)
    assert printed.no_expiry and printed.expiry_date is None
    assert "thời hạn" not in (printed.place_of_residence or "")
    place = "Số 27 đường Phan Đình Phùng, Xã Thủy Sơn, Huyện Thủy Nguyên, Hải Phòng"
    assert check_place(place.replace("Phùng,", "Phùng, Không thời hạn,"))[0] == place


def _name(ocr_name: str, mrz_name: str):
    mrz = parse_td1([L1, NO_EXPIRY_L2, mrz_name])
    return merge_sources(None, mrz, parse_printed_text(f"Họ và tên / Full name:\n{ocr_name}\n"), TODAY)


def test_the_printed_name_stands_when_the_mrz_letters_are_the_misread_ones():
    data = _name("ĐINH THANH TRANG", "DINH<<THANH<KTRANG<<<<<<<<<<<<")
    assert data.full_name == "Đinh Thanh Trang" and not data.field_warnings.get("full_name")


def test_the_mrz_corrects_only_a_printed_word_that_is_unreadable():
    data = _name("ĐINH TH4NH TRANG", "DINH<<THANH<TRANG<<<<<<<<<<<<<")
    assert data.full_name == "Đinh Thanh Trang"
    data = _name("ĐINH THANH LONG", "DINH<<THANH<LINH<<<<<<<<<<<<<<")  # both readable: a real doubt
    assert data.full_name == "Đinh Thanh Long" and "LINH" in data.field_warnings["full_name"][0]


def test_places_keep_every_level_and_the_tone_placement_printed():
    for place in ("Xã Thủy Sơn, Huyện Thủy Nguyên, Hải Phòng",   # the list writes 'Thuỷ'
                  "Phường Trung Hòa, Quận Cầu Giấy, Hà Nội",      # the list writes 'Hoà'
                  "Xã Hòa Tiến, Huyện Hòa Vang, Đà Nẵng"):
        assert check_place(place) == (place, None)


def test_debris_before_the_first_unit_is_dropped():
    for read in ("ƒ, Phường Nghĩa Tân, Quận Cầu Giấy, Hà Nội", "Ệ Phường Nghĩa Tân, Quận Cầu Giấy, Hà Nội"):
        assert check_place(read)[0] == "Phường Nghĩa Tân, Quận Cầu Giấy, Hà Nội"


def test_id_province_is_checked_against_the_place_of_birth_registration():
    assert birth_place_warnings("001090012345", "Xã Tân Lập, Huyện Đan Phượng, Hà Nội", False) == []
    fields, text = birth_place_warnings("031090012345", "Xã Tân Lập, Huyện Đan Phượng, Hà Nội", False)[0]
    assert fields == ("id_number",) and "«031»" in text
    assert birth_place_warnings("031090012345", "Xã Tân Lập, Huyện Đan Phượng, Hà Nội", True)[0][0] == (
        "place_of_birth",)


def test_each_field_says_how_sure_it_is_from_the_sources_that_agree():
    qr = parse_qr_payload("001090012345|123456789|Nguyễn Văn An|15011990|Nam|"
                          "Phường Láng Hạ, Quận Đống Đa, Hà Nội|20052021")
    mrz = parse_td1(["IDVNM0900123450001090012345<<1", "9001158M3001156VNM<<<<<<<<<<<8",
                     "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"])
    printed = parse_printed_text("Quê quán / Place of origin:\nXã Tân Lập, Huyện Đan Phượng, Hà Nội\n"
                                 "Quốc tịch / Nationality: Việt Nam\n")
    data = merge_sources(qr, mrz, printed, TODAY)
    assert data.confidence["id_number"] == "high" and data.confidence["nationality"] == "high"
    assert data.confidence["place_of_origin"] == "medium"  # the print alone, found in the list
    alone = merge_sources(None, None, parse_printed_text("Số / No.: 001090012345\n"), TODAY)
    assert alone.confidence["id_number"] == "low"  # nothing confirms it: warned (test_idcard_true_warnings)
    wrong = merge_sources(None, None, parse_printed_text("Số / No.: 003090012345\n"), TODAY)
    assert wrong.confidence["id_number"] == "low"


def test_a_garbled_printed_expiry_is_taken_only_where_its_legible_digits_are_the_laws_date():
    from domain.idcard.validate import expiry_from_garbled
    dob, issue = date(1988, 3, 2), date(2021, 9, 10)
    assert expiry_from_garbled("o2;oa/2oaa", dob, issue) == date(2028, 3, 2)
    assert expiry_from_garbled("o2;o3/2o48", dob, issue) is None   # a legible digit disagrees
    assert expiry_from_garbled("o?;aa/2aaa", dob, issue) is None   # too little legible


def test_an_mrz_id_that_passes_every_check_wins_over_a_misread_print_without_a_false_alarm():
    mrz = parse_td1(["IDVNM0900123450001090012345<<1", "9001158M3001156VNM<<<<<<<<<<<8",
                     "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"])
    printed = parse_printed_text("số/No: 001050012345\n")  # '9' read as '5': born 1950, not 1990
    data = merge_sources(None, mrz, printed, TODAY)
    assert data.id_number == "001090012345" and data.sources["id_number"] == "mrz"
    assert not data.field_warnings.get("id_number")


def test_a_card_known_by_its_qr_or_checked_mrz_is_a_citizens_card_even_when_nationality_is_misread():
    mrz = parse_td1(["IDVNM0900123450001090012345<<1", "9001158M3001156VWM<<<<<<<<<<<8",  # 'VNM' misread
                     "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"])
    assert mrz.nationality == "Việt Nam"
    qr = parse_qr_payload("001090012345|123456789|Nguyễn Văn An|15011990|Nam|"
                          "Phường Láng Hạ, Quận Đống Đa, Hà Nội|20052021")
    data = merge_sources(qr, None, None, TODAY)
    assert data.nationality == "Việt Nam" and not data.field_warnings.get("nationality")


def test_a_printed_date_that_passes_the_mrz_check_digit_the_mrz_misread_needs_no_warning():
    # expiry 300115 check 6 read as 300175: the MRZ fails, the print's 15/01/2030 passes its check 6
    line2 = "9001158M3001756VNM<<<<<<<<<<<8"
    mrz = parse_td1(["IDVNM0900123450001090012345<<1", line2, "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"])
    assert "expiry_date" in mrz.failed
    printed = parse_printed_text("Có giá trị đến: 15/01/2030\n")
    data = merge_sources(None, mrz, printed, TODAY)
    assert data.expiry_date == date(2030, 1, 15) and not data.field_warnings.get("expiry_date")
    assert data.confirmed_by["expiry_date"] == "mrz"
    wrong = merge_sources(None, mrz, parse_printed_text("Có giá trị đến: 16/01/2030\n"), TODAY)
    assert "Số kiểm tra MRZ" in wrong.field_warnings["expiry_date"][0]  # a print the check refutes
