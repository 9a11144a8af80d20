"""Motion blur in a close-up (defocus and sensor noise flatten the cepstrum's peak) is still seen;
a sharp photo with the same defocus and noise is left alone."""
import numpy as np
import pytest
from PIL import ImageFilter

from app.idcard.deblur import blur_vector
from tests.support.card_captures import _motion_blur
from tests.support.cards import make_card, random_person


@pytest.fixture(scope="module")
def card():
    return make_card(random_person(5000), "2021", "front").convert("L")


def _close_up(card, length: int, angle: float) -> np.ndarray:
    image = _motion_blur(card, length, angle) if length else card
    pixels = np.asarray(image.filter(ImageFilter.GaussianBlur(1.0)), np.float32)
    noise = np.random.default_rng(1).normal(0, 4, pixels.shape)
    return np.clip(pixels + noise, 0, 255).astype(np.uint8)


@pytest.mark.parametrize(("angle", "direction"), [(0.3, (10, 3)), (1.2, (4, 10))])
def test_a_blur_whose_peak_the_defocus_flattened_is_found_by_its_direction(card, angle, direction):
    found = blur_vector(_close_up(card, 11, angle))
    assert found is not None
    assert abs(abs(np.dot(found, direction)) / np.hypot(*found) / np.hypot(*direction) - 1) < 0.05


def test_a_sharp_close_up_with_the_same_defocus_and_noise_is_not_deblurred(card):
    assert blur_vector(_close_up(card, 0, 0)) is None
