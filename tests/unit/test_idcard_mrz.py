from datetime import date

import pytest

from domain.idcard.mrz import check_digit, find_td1_lines, fit_line, parse_td1

LEGAL_EXAMPLE = ["IDVNM0900123450001090012345<<1", "9001158M3001156VNM<<<<<<<<<<<8",
                 "NGUYEN<<VAN<A<<<<<<<<<<<<<<<<<"]


def test_check_digits_of_the_legal_example():
    assert check_digit("090012345") == "0"
    assert check_digit("001090012345<<") == "1"
    assert check_digit("900115") == "8"
    assert check_digit("300115") == "6"


def test_parses_the_legal_example():
    mrz = parse_td1(LEGAL_EXAMPLE)
    assert mrz.id_number == "001090012345"
    assert mrz.date_of_birth == date(1990, 1, 15)
    assert mrz.sex == "Nam"
    assert mrz.expiry_date == date(2030, 1, 15)
    assert mrz.nationality == "Việt Nam"
    assert mrz.name == "NGUYEN VAN A"
    assert mrz.failed == [] and mrz.repaired == []


def test_repairs_letter_for_digit_confusions_confirmed_by_check_digits():
    ocr = ["IDVNMO9OO1Z345OOO1O9OO12345<<1", "9OO1I58M3OO1I56VNM<<<<<<<<<<<8", "NGUYEN<<VAN<A"]
    mrz = parse_td1(ocr)
    assert mrz.id_number == "001090012345"
    assert mrz.date_of_birth == date(1990, 1, 15)
    assert mrz.expiry_date == date(2030, 1, 15)
    assert set(mrz.repaired) == {"id_number", "date_of_birth", "expiry_date"}


def test_keeps_no_value_when_check_digit_refutes_it():
    wrong_birth = ["IDVNM0900123450001090012345<<1", "9001178M3001156VNM<<<<<<<<<<<8", "NGUYEN<<VAN<A"]
    mrz = parse_td1(wrong_birth)
    assert mrz.date_of_birth is None and "date_of_birth" in mrz.failed
    assert mrz.expiry_date == date(2030, 1, 15)


def test_a_repair_that_breaks_the_check_digit_is_refused():
    # 'B' read for what was really a '6' would repair to 8: the check digit says no.
    mrz = parse_td1(["IDVNM0900123450001090012345<<1", "9001B58M3001156VNM<<<<<<<<<<<8", "A<<B"])
    assert mrz.date_of_birth is None


def test_id_number_must_agree_with_the_nine_digit_document_number():
    mrz = parse_td1(["IDVNM0900123461001090012345<<1", LEGAL_EXAMPLE[1], LEGAL_EXAMPLE[2]])
    assert mrz.id_number is None and "id_number" in mrz.failed


def test_miscounted_fillers_are_refitted_to_thirty_characters():
    assert fit_line("9001158M3001156VNM<<<<<<<<8") == LEGAL_EXAMPLE[1]
    assert fit_line("9001158M3001156VNM<<<<<<<<<<<<<<8") == LEGAL_EXAMPLE[1]


def test_finds_mrz_lines_among_other_ocr_text():
    text = "BO CONG AN\n\n" + "\n".join(LEGAL_EXAMPLE) + "\n"
    assert find_td1_lines(text) == LEGAL_EXAMPLE


def test_rejects_lines_that_are_not_a_vietnamese_td1():
    with pytest.raises(ValueError):
        parse_td1(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<", LEGAL_EXAMPLE[1], LEGAL_EXAMPLE[2]])


def test_fillers_read_as_k_or_l_are_fillers_not_letters():
    ocr = [
        "IDVNM0900123450001090012345KK1",
        "9001158M3001156VNMKKKKLKKKKKK8",
        "NGUYENKKVAN<AKKKKKKKKKKKKLKKKK",
    ]
    mrz = parse_td1(ocr)
    assert mrz.failed == [] and mrz.id_number == "001090012345"
    assert mrz.name == "NGUYEN VAN A"


def test_a_card_without_expiry_is_not_a_check_digit_failure():
    l1 = "IDVNM0900123450001090012345<<1"
    mrz = parse_td1([l1, "9001158M<<<<<<0VNM<<<<<<<<<<<4", "NGUYEN<<VAN<A"])
    assert mrz.expiry_date is None and mrz.no_expiry and mrz.failed == []
    assert mrz.date_of_birth == date(1990, 1, 15)


def test_an_unreadable_sex_letter_is_no_check_digit_failure():
    mrz = parse_td1([LEGAL_EXAMPLE[0], "9001158X3001156VNM<<<<<<<<<<<8", LEGAL_EXAMPLE[2]])
    assert mrz.sex is None and mrz.failed == []


def test_one_passing_check_digit_is_not_enough_for_the_id_but_can_confirm_a_printed_one():
    from domain.idcard import merge_sources
    from domain.idcard.printed import PrintedData
    broken_doc = ["IDVNM0900123460001090012345<<1", LEGAL_EXAMPLE[1], LEGAL_EXAMPLE[2]]  # doc check fails
    mrz = parse_td1(broken_doc)
    assert mrz.id_number is None and mrz.vouches_for("001090012345")
    data = merge_sources(None, mrz, PrintedData(id_number="001090012345"))
    assert data.id_number == "001090012345" and data.confirmed_by["id_number"] == "mrz"
    assert "id_number" not in data.field_warnings


def test_a_speck_read_as_an_extra_character_in_line_1_is_dropped():
    mrz = parse_td1(["IDVNM0Q900123450001090012345<<1", LEGAL_EXAMPLE[1], LEGAL_EXAMPLE[2]])
    assert mrz.id_number == "001090012345" and mrz.failed == []
