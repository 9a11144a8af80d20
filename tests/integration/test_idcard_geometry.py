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
