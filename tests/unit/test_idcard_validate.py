"""Field validation before filling: labels, nationality, provinces, names, ID and expiry rules."""
from datetime import date

from domain.idcard import merge_sources, parse_td1
from domain.idcard.printed import PrintedData
from domain.idcard.validate import check_place, expiry_plausible, nationality_from, strip_labels

TODAY = date(2025, 6, 1)
MRZ = ["IDVNM0900123450001090012345<<1", "9001158M3001156VNM<<<<<<<<<<<8", "TRAN<<VAN<AN<<<<<<<<<<<<<<<<<<"]


def test_printed_labels_and_their_ocr_variants_are_stripped():
    assert strip_labels("Place of ©rigin Xã Tân Lập, Huyện Đan Phượng, Hà Nội") == \
        "Xã Tân Lập, Huyện Đan Phượng, Hà Nội"
    assert strip_labels("Nơi thường, trú: Số 8 đường Trần Phú") == "Số 8 đường Trần Phú"
    assert strip_labels("Phường Láng Hạ, Quận Đống Đa, Hà Nội") == "Phường Láng Hạ, Quận Đống Đa, Hà Nội"


def test_nationality_comes_from_a_closed_list():
    assert nationality_from("Việt Na") == ("Việt Nam", False)
    assert nationality_from("Việt Nar")[0] == "Việt Nam"
    assert nationality_from("Quốc tịch")[0] is None


def test_a_cut_province_is_corrected_with_a_warning_and_garbage_left_out():
    value, warning = check_place("Xã Tân Lậo, Huyện Sông Lô, Vĩnh Phú")  # commune misread too
    assert value == "Xã Tân Lập, Huyện Sông Lô, Vĩnh Phúc" and "Vĩnh Phúc" in warning and "Tân Lập" in warning
    # its district and commune, found with the same letters, confirm the province: no warning
    assert check_place("Xã Tân Lập, Huyện Sông Lô, Vĩnh Phú") == (
        "Xã Tân Lập, Huyện Sông Lô, Vĩnh Phúc",
        None,
    )
    assert check_place("Phường Bến Nghé, Quận 1, TP Hồ Chí Minh") == (
        "Phường Bến Nghé, Quận 1, TP Hồ Chí Minh",
        None,
    )
    assert check_place("Xã Đông Hưng, Tỉnh Hưng Yên") == (
        "Xã Đông Hưng, Tỉnh Hưng Yên",
        None,
    )  # 2025 names too
    assert check_place("Số 85 Phố Huế,")[0] is None


def test_residence_cut_to_its_first_line_is_not_filled():
    data = merge_sources(
        None, None, PrintedData(id_number="001090012345", place_of_residence="Số 85 Phố Huế"), TODAY
    )
    assert data.place_of_residence is None and data.field_warnings["place_of_residence"]


def test_name_takes_letters_from_the_mrz_and_marks_from_ocr():
    data = merge_sources(None, parse_td1(MRZ), PrintedData(full_name="TRẤN VĂN AN"), TODAY)
    assert data.full_name == "Trần Văn An" and data.field_warnings.get("full_name")
    clean = merge_sources(None, parse_td1(MRZ), PrintedData(full_name="TRẦN VĂN AN"), TODAY)
    assert clean.full_name == "Trần Văn An" and "full_name" not in clean.field_warnings


def test_disagreeing_mrz_and_printed_id_take_the_consistent_one_or_none():
    wrong_year = PrintedData(id_number="001095012345", date_of_birth=date(1990, 1, 15))
    data = merge_sources(None, parse_td1(MRZ), wrong_year, TODAY)
    # the MRZ's ID passes two check digits and fits: the print's is the misread, no doubt left (issue 31)
    assert data.id_number == "001090012345" and not data.field_warnings.get("id_number")


def test_expiry_follows_the_25_40_60_rule():
    dob = date(1990, 1, 15)
    assert expiry_plausible(date(2030, 1, 15), dob, date(2021, 5, 1))
    assert not expiry_plausible(date(2031, 1, 15), dob, date(2021, 5, 1))
    data = merge_sources(None, None, PrintedData(id_number="001090012345", date_of_birth=dob,
                                                 expiry_date=date(2030, 1, 16)), TODAY)
    assert data.field_warnings["expiry_date"]


def test_warnings_are_attached_to_their_fields():
    data = merge_sources(None, None, PrintedData(id_number="001190012345", date_of_birth=date(1991, 1, 15),
                                                 sex="Nam"), TODAY)
    assert data.field_warnings["sex"] and data.field_warnings["date_of_birth"]
    assert data.general_warnings() == []


def test_a_slipped_mark_in_the_province_takes_the_listed_spelling():
    assert check_place("Phường Bến Nghé, Quận 1, TP Hồ Chí Mình") == (
        "Phường Bến Nghé, Quận 1, TP Hồ Chí Minh",
        None,
    )
    assert check_place("Xã Tân Lập, Huyện Đan Phượng, Hà Nôi")[0] == "Xã Tân Lập, Huyện Đan Phượng, Hà Nội"


def test_districts_and_communes_are_checked_before_and_after_2025():
    assert check_place("Xã Quỳnh Lưu, Huyện Nho Quan, Ninh Bình") == (
        "Xã Quỳnh Lưu, Huyện Nho Quan, Ninh Bình",
        None,
    )
    assert check_place("Phường Hoàn Kiếm, Hà Nội") == ("Phường Hoàn Kiếm, Hà Nội", None)  # since July 2025
    assert check_place("Số 8 Lê Lợi, Phường Vĩnh Ninh, Thành phố Huế, Thừa Thiên Huế")[1] is None


def test_a_misread_district_or_commune_is_corrected_with_a_warning():
    value, warning = check_place("Xã Quỳnh Lưu, Huyện Nho Quang, Ninh Bình")
    assert value == "Xã Quỳnh Lưu, Huyện Nho Quan, Ninh Bình" and "Huyện Nho Quan" in warning
    value, warning = check_place("Tổ 3, Phường Láng Hà, Quận Đống Đa, Hà Nội")
    assert value == "Tổ 3, Phường Láng Hạ, Quận Đống Đa, Hà Nội"
    value, warning = check_place(
        "Phường Hòa Khánh Bac, Quận Liên Chiếu, Đà Nẵng"
    )  # marks only: listed spelling
    assert value == "Phường Hòa Khánh Bắc, Quận Liên Chiểu, Đà Nẵng"


def test_a_place_with_units_not_in_the_province_is_left_out_with_a_warning():
    value, warning = check_place("Xã Tân Lập, Huyện Yên Lạc, Vĩnh Phúc")  # Tân Lập lies in Sông Lô
    assert value is None and "danh mục" in warning
    value, warning = check_place("Xã Bến Nghé, Huyện Đan Phượng, Hà Nội")
    assert value is None and "cần nhập tay" in warning
