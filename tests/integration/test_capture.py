"""Camera capture: a photo of a page on a desk, sideways with an EXIF tag, becomes an upright cropped page
that tesseract can read; the official can keep the raw photo instead."""
from __future__ import annotations

import io

import pytesseract
import pytest
from PIL import Image

from app.intake.capture import MAX_LONG_SIDE, capture_page, rotate
from tests.support.photos import desk_photo


def text_of(jpeg: bytes) -> str:
    return pytesseract.image_to_string(Image.open(io.BytesIO(jpeg)), lang="eng")


@pytest.mark.parametrize("orientation,angle", [(6, 9.0), (8, -7.0), (1, 4.0)])
def test_photo_on_a_desk_becomes_an_upright_cropped_page(orientation, angle, artifacts):
    photo = desk_photo("HOC BA 2024", angle_deg=angle, exif_orientation=orientation)
    page = capture_page(photo)
    (artifacts / f"capture-{orientation}.jpg").write_bytes(page.jpeg)
    assert page.page_found
    assert 1.3 < page.height / page.width < 1.5  # an A4 page, portrait
    with Image.open(io.BytesIO(page.jpeg)) as image:
        corner = image.convert("RGB").getpixel((5, 5))
        assert min(corner) > 180  # paper in the corner, not the brown desk
    assert "HOC BA 2024" in text_of(page.jpeg)


def test_raw_photo_fallback_is_only_turned_upright():
    page = capture_page(desk_photo("HOC BA", exif_orientation=6), crop=False)
    assert not page.page_found
    assert page.height > page.width  # the portrait scene, as the person saw it


def test_a_large_photo_is_kept_at_300_dpi_for_a4_and_rotates():
    page = capture_page(desk_photo("GIAY KHAI SINH", size=(6000, 4500)))
    assert max(page.width, page.height) <= MAX_LONG_SIDE and page.dpi <= 300
    turned = rotate(page.jpeg, 90)
    with Image.open(io.BytesIO(turned)) as image:
        assert image.size == (page.height, page.width)


def test_a_photo_without_a_page_is_kept_whole():
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (120, 78, 45)).save(buffer, "JPEG")
    page = capture_page(buffer.getvalue())
    assert not page.page_found and (page.width, page.height) == (800, 600)
