"""Tesseract in this process (libtesseract's C API): the same text as the `tesseract` command, the
models loaded once, and a call past its deadline a time-out the reader turns into a partial result."""
import pytest
from PIL import ImageOps

from app.idcard import tess_api
from app.idcard.ocr import MRZ_CHARS, OcrTimeout, TesseractOcr
from tests.support.cards import make_card, random_person

pytestmark = pytest.mark.skipif(not tess_api.available(), reason="libtesseract not loadable")


def test_in_process_reads_what_the_command_reads():
    p = random_person(61)
    front = ImageOps.grayscale(make_card(p, "2021", "front")).resize((1100, 700))
    back = ImageOps.grayscale(make_card(p, "2021", "back")).resize((1100, 700))
    inside, command = TesseractOcr(), TesseractOcr(in_process=False)
    assert inside.in_process and not command.in_process
    # the MRZ call first: its whitelist and page mode must not stay for the next call
    for image, kwargs in ((back, {"lang": "eng", "psm": 6, "whitelist": MRZ_CHARS}), (front, {"lang": "eng"}),
                          (front, {})):
        text = inside.image_to_text(image, **kwargs)
        assert text == command.image_to_text(image, **kwargs)
    assert p["id_number"] in text and inside.calls == 3


def test_a_call_past_its_deadline_times_out():
    front = ImageOps.grayscale(make_card(random_person(62), "2021", "front"))
    with pytest.raises(OcrTimeout):
        TesseractOcr(timeout=0.001).image_to_text(front)
