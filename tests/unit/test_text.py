import unicodedata

import pytest

from domain.text import contains_one_stop_marker, fold


def test_fold_removes_diacritics_and_case():
    assert fold("Nguyễn Văn An") == "nguyen van an"


def test_fold_maps_d_with_stroke_to_d():
    assert fold("Đặng Thị Đào") == "dang thi dao"
    assert fold("đường Đinh Tiên Hoàng") == "duong dinh tien hoang"


def test_fold_gives_same_result_for_nfc_and_nfd_input():
    name = "Trần Thị Hoà"
    assert fold(unicodedata.normalize("NFD", name)) == fold(name) == "tran thi hoa"


def test_fold_collapses_whitespace():
    assert fold("  Lê   Văn\tTám ") == "le van tam"


@pytest.mark.parametrize(
    "name",
    [
        "Bộ phận Một cửa UBND phường Hoàn Kiếm",
        "BỘ PHẬN MỘT CỬA UBND PHƯỜNG X",
        "bộ phận một cửa",
        unicodedata.normalize("NFD", "Bộ phận Một cửa xã Y"),
        "Bộ phận  Một cửa (Tiếp nhận và Trả kết quả)",
    ],
)
def test_unit_with_the_marker_counts_as_one_stop_section(name):
    assert contains_one_stop_marker(name)


@pytest.mark.parametrize(
    "name",
    ["Bo phan Mot cua UBND phuong X", "Bộ phận Tiếp nhận và Trả kết quả", "Phòng Tư pháp", "", None],
)
def test_unit_without_the_exact_marker_does_not_count(name):
    assert not contains_one_stop_marker(name)
