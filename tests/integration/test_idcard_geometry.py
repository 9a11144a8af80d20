"""Geometry of real captures: tilted photos, sideways cards, both sides in one image, A4 scans."""
import pytest

from app.idcard import TesseractIdCardReader
from tests.support.cards import make_card, random_person, to_bytes


@pytest.fixture(scope="module")
def reader():
    return TesseractIdCardReader()


def jpg(image, name="card.jpg"):
    return (name, to_bytes(image, "JPEG", quality=90))


@pytest.mark.parametrize("seed", [1, 2])
def test_tilted_photo_is_straightened_so_printed_fields_read(reader, seed):
    p = random_person(40 + seed)
    data = reader.read([jpg(make_card(p, "2021", "front", "rotated", seed=seed))])
    assert data.place_of_origin == p["place_of_origin"]
    assert data.nationality == "Việt Nam"


def test_back_photographed_at_270_degrees_still_gives_its_mrz(reader):
    from tests.support.card_captures import make_capture
    p = random_person(51)
    back = make_capture(p, "2021", "rot270", seed=3)[1]
    data = reader.read([back])
    assert data.sources["id_number"] == "mrz" and data.id_number == p["id_number"]
    assert data.expiry_date == p["expiry_date"] and data.confirmed_by["expiry_date"] == "mrz"


def test_both_sides_on_one_a4_page_at_150_dpi(reader):
    from tests.support.card_captures import make_capture
    p = random_person(52)
    data = reader.read(make_capture(p, "2021", "a4_both", seed=4))
    assert (data.id_number, data.expiry_date) == (p["id_number"], p["expiry_date"])
    assert data.place_of_origin == p["place_of_origin"] and data.nationality == "Việt Nam"


def test_card_filling_the_whole_photo_keeps_its_edge_text(reader):
    p = random_person(53)
    card = make_card(p, "2021", "front", "qr_covered").crop((80, 80, 1092, 718))  # no background at all
    data = reader.read([jpg(card)])
    assert data.place_of_origin == p["place_of_origin"]


def test_tesseract_running_out_of_time_gives_a_partial_result_not_an_error():
    from app.idcard.ocr import TesseractOcr
    p = random_person(54)
    slow = TesseractIdCardReader(ocr=TesseractOcr(timeout=0.05))
    data = slow.read([jpg(make_card(p, "2021", "front")), jpg(make_card(p, "2021", "back"))])
    assert data.id_number == p["id_number"] and data.sources["id_number"] == "qr"
    assert any("Máy đang bận" in w for w in data.general_warnings())


def test_without_qr_a_time_out_is_a_vietnamese_message():
    from app.idcard.ocr import TesseractOcr
    from domain.idcard import IdCardReadError
    p = random_person(55)
    with pytest.raises(IdCardReadError) as err:
        TesseractIdCardReader(ocr=TesseractOcr(timeout=0.05)).read(
            [jpg(make_card(p, "2021", "front", "qr_covered"))]
        )
    assert "Máy đang bận" in err.value.message


@pytest.mark.parametrize("stacked", [False, True])
def test_both_sides_touching_in_one_photo_are_cut_apart(reader, stacked):
    from PIL import Image

    from tests.support.cards import CARD_H, CARD_W
    p = random_person(56)
    front, back = make_card(p, "2021", "front").crop((80, 80, 1092, 718)), make_card(p, "2021", "back").crop(
        (80, 80, 1092, 718))
    size = (CARD_W + 160, 2 * CARD_H + 160) if stacked else (2 * CARD_W + 160, CARD_H + 160)
    photo = Image.new("RGB", size, (70, 60, 50))
    photo.paste(front, (80, 80))
    photo.paste(back, (80, 80 + CARD_H) if stacked else (80 + CARD_W, 80))
    data = reader.read([jpg(photo.rotate(5, expand=True, fillcolor=(70, 60, 50)))])
    assert (data.id_number, data.expiry_date) == (p["id_number"], p["expiry_date"])
    assert data.place_of_origin == p["place_of_origin"]


def test_motion_blurred_photos_are_sharpened_so_the_qr_and_the_text_read(reader):
    from tests.support.card_captures import make_capture
    from tests.support.cards import card_dates
    p = random_person(5003)  # the 2024 card, blurred over 10 pixels: zxing alone reads no QR
    data = reader.read(make_capture(p, "2024", "motion_blur", seed=5003))
    assert data.sources["id_number"] == "qr" and data.id_number == p["id_number"]
    assert data.full_name.upper() == p["full_name"] and data.date_of_birth == p["date_of_birth"]
    assert data.expiry_date == card_dates(p, "2024")[1] and data.field_warnings == {}


def test_a_sharp_photo_is_not_deblurred():
    from app.idcard.deblur import deblurred
    from tests.support.card_captures import make_capture
    from tests.support.cards import make_card
    assert deblurred(make_card(random_person(55), "2021", "front")) is None
    blurred = make_capture(random_person(56), "2021", "motion_blur", seed=7)[0][1]
    from app.idcard.images import open_image
    assert deblurred(open_image(blurred)) is not None


def test_a_600_dpi_scan_cut_to_the_card_is_read_whole_not_as_its_photo_and_qr(reader):
    from tests.support.cards import draw_side
    p = random_person(5011)  # 2021 card, no expiry ("Không thời hạn")
    data = reader.read([jpg(draw_side(p, "2021", side, 600)) for side in ("front", "back")])
    assert data.sources["full_name"] == "qr" and data.full_name == "Huỳnh Đình Cường"
    assert data.place_of_origin == p["place_of_origin"] and data.expiry_date is None
    assert data.field_warnings == {}  # the MRZ's six fillers with check digit 0 are no doubt


def test_a_back_whose_motion_blur_went_unseen_borrows_the_fronts(reader):
    from tests.support.card_captures import make_capture
    p = random_person(5001)  # the 2024 card: its QR is on the back, the MRZ band hides the blur there
    data = reader.read(make_capture(p, "2024", "motion_blur", 5001, dpi=600))
    assert data.id_number == p["id_number"] and data.sources["id_number"] == "qr"


def test_a_blurred_mrz_whose_check_digit_failed_is_read_again_at_another_scale(reader):
    from tests.support.card_captures import make_capture
    from tests.support.cards import card_dates
    p = random_person(5002)  # 2021 card, 600-dpi close-up: at 850 px the band's dates fail their checks
    data = reader.read(make_capture(p, "2021", "motion_blur", 5002, dpi=600))
    assert data.expiry_date == card_dates(p, "2021")[1] and data.sources["expiry_date"] == "mrz"
    assert "expiry_date" not in data.field_warnings
