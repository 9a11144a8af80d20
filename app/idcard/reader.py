"""The ID-card reader: find each card, QR first, then MRZ, then the printed text (IdCardReader).

Every card found in every page is read on its own (both sides may share one photo or page).
The read has a budget of CPU seconds (IDCARD_READ_BUDGET_S, 20; this process and its tesseract
children, so a busy machine slows a read without failing it): when tesseract runs out of it the
fields read so far are returned with a warning, never an error that escapes.
"""
from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageOps

from app.web.worker_process import settle
from domain.idcard import IdCardData, IdCardReadError, merge_sources, parse_printed_text, parse_qr_payload
from domain.idcard.checks import birth_century
from domain.idcard.mrz import MrzData, find_td1_lines, parse_td1
from domain.idcard.printed import PrintedData
from domain.idcard.qr import QrData

from .deblur import blur_vector, deblurred, nearby
from .geometry import CardRegion, estimate_skew, find_cards, fit_width, landscape, rotate_upright
from .images import load_images
from .mrz_finder import RETRY_WIDTHS, looks_like_back, read_mrz
from .ocr import OcrFailed, OcrTimeout, TesseractOcr
from .qr_finder import find_card_qr

MAX_FILES = 2
MIN_SIDE = 120             # pixels: a card photo smaller than this holds no readable text
OCR_WIDTH = (1000, 1150)   # card width in pixels that tesseract reads well and fast
QR_WIDTH = 1800            # zxing needs no more than this
TIMED_OUT_VI = ("Máy đang bận nên chưa đọc xong chữ in trên thẻ trong thời gian cho phép; các trường "
                "còn trống hãy nhập tay hoặc đọc lại sau.")


def read_budget() -> float:
    try:
        return max(3.0, float(os.environ.get("IDCARD_READ_BUDGET_S", "20")))
    except ValueError:
        return 20.0


NEEDED = frozenset({"id_number", "full_name", "date_of_birth", "sex", "nationality", "place_of_residence",
                    "issue_date", "expiry_date", "place_of_origin"})
@dataclass
class _Findings:
    qr: QrData | None = None
    mrz: MrzData | None = None
    printed: list[PrintedData] = field(default_factory=list)
    timed_out: bool = False

    def missing(self) -> set[str]:
        """Fields no source has given yet: OCR runs only while some are missing."""
        known = set(self.qr.fields()) if self.qr else set()
        if self.mrz:
            known |= set(self.mrz.fields()) | ({"expiry_date"} if self.mrz.no_expiry else set())
        for printed in self.printed:
            known |= set(printed.fields()) | ({"expiry_date"} if printed.no_expiry else set())
        needed = set(NEEDED)
        if self.qr and len(self.qr.extra) >= 2:  # the 2024 card (parents in the QR) prints the place
            needed = needed - {"place_of_origin"} | {"place_of_birth"}  # of birth instead of origin
        return needed - known


@dataclass
class _Side:
    image: Image.Image          # straightened; upright when `upright` is True
    qr: bool
    upright: bool
    has_mrz: bool = False
    blur: tuple | None = None   # (the image before deblurring, the blur vector) when it was blurred
    original: Image.Image | None = None  # the card as found, when no QR and no blur were found
    solid: bool = False


class TesseractIdCardReader:
    """read([(name, bytes), ...]) -> IdCardData. `ocr_printed=False` is the fast path: when a
    card QR is found, only the QR is used (no tesseract at all; nationality, place of origin and
    expiry stay empty); without a QR it reads MRZ and printed text as usual."""

    def __init__(
        self, ocr: TesseractOcr | None = None, ocr_printed: bool = True, budget_s: float | None = None
    ):
        self.ocr = ocr or TesseractOcr()
        self.ocr_printed = ocr_printed
        self.budget_s = budget_s

    def read(self, files: list[tuple[str, bytes]]) -> IdCardData:
        if not files:
            raise IdCardReadError("Chưa có tệp nào để đọc.")
        if len(files) > MAX_FILES:
            raise IdCardReadError("Chỉ nhận tối đa hai tệp: mặt trước và mặt sau của thẻ.")
        self.ocr.start(self.budget_s or read_budget())
        images = _usable_images(files)
        found = _Findings()
        sides = [self._straighten(region, found) for image in images for region in find_cards(image)]
        if found.qr is None:
            self._retry_blurred_qr(sides, found)
        if found.qr and not self.ocr_printed:
            return merge_sources(found.qr, None, None)
        try:
            self._read_mrz(sides, found)
            for side in sorted(sides, key=lambda s: (not s.qr, s.has_mrz)):
                if not found.missing():
                    break
                self._read_printed(side, found)
        except OcrTimeout:
            found.timed_out = True
        except OcrFailed:
            pass
        return _result(found)

    def _straighten(self, region: CardRegion, found: _Findings) -> _Side:
        card = fit_width(region.image, 0, QR_WIDTH)
        qr, blur = find_card_qr(card), None
        if qr is None and (vector := blur_vector(np.asarray(ImageOps.grayscale(card)))):
            blur = (card, vector)  # motion blur: undo it for the QR and for OCR
            card = deblurred(card, vector)
            qr = find_card_qr(card, deblurred=True)
        side = self._finish(card, qr, region.solid, found, blur)
        if qr is None and blur is None:
            side.original = card
        return side

    def _finish(self, card: Image.Image, qr, solid: bool, found: _Findings, blur=None) -> _Side:
        if qr:
            if found.qr is None:
                found.qr = parse_qr_payload(qr.payload)
            card = rotate_upright(card, qr.angle)  # zxing's angle is the card's turn, clockwise
        elif not solid:
            card = rotate_upright(card, estimate_skew(card))
        if qr is None:
            card = landscape(card)
        side = _Side(fit_width(ImageOps.grayscale(card), *OCR_WIDTH), qr is not None, qr is not None)
        side.blur, side.solid = blur, solid
        return side

    def _retry_blurred_qr(self, sides: list[_Side], found: _Findings) -> None:
        """No QR anywhere but a side was blurred: try the blur vectors next to the one found."""
        for index, side in enumerate(sides):
            if side.blur is None or found.qr is not None:
                continue
            original, vector = side.blur
            for guess in nearby(vector):
                sharp = deblurred(original, guess)
                qr = find_card_qr(sharp, deblurred=True)
                if qr:
                    sides[index] = self._finish(sharp, qr, side.solid, found)
                    return
        self._borrow_blur(sides, found)

    def _borrow_blur(self, sides: list[_Side], found: _Findings) -> None:
        """A side whose blur the cepstrum missed (the MRZ band's regular print hides the peak) is
        tried with the blur found on the other side: one hand, one moment, likely the same."""
        vectors = [side.blur[1] for side in sides if side.blur]
        for index, side in enumerate(sides):
            if side.original is None or found.qr is not None:
                continue
            for vector in vectors:
                for guess in (vector, *nearby(vector)):
                    sharp = deblurred(side.original, guess)
                    qr = find_card_qr(sharp, deblurred=True)
                    if qr:
                        sides[index] = self._finish(sharp, qr, side.solid, found, (side.original, guess))
                        return

    def _century(self, found: _Findings) -> int | None:
        return birth_century(found.qr.id_number) if found.qr and found.qr.id_number else None

    def _read_mrz(self, sides: list[_Side], found: _Findings) -> None:
        """The MRZ band of the side that has one; a side not known upright is tried both ways."""
        qr_on_back = bool(found.qr and len(found.qr.extra) >= 2)  # the 2024 card: QR and MRZ share the back
        ordered = sorted(sides, key=lambda s: s.qr != qr_on_back)
        # Every side as it lies first, then the ones not known upright turned over: a photo taken
        # the right way up (the usual case) costs one call per side, not two.
        tries = [(side, side.image) for side in ordered] + \
                [(side, side.image.rotate(180)) for side in ordered if not side.upright]
        for side, image in tries:
            mrz = read_mrz(image, self.ocr, self._century(found))
            if mrz:
                found.mrz, side.image, side.upright, side.has_mrz = mrz, image, True, True
                self._reread_mrz(image, found)
                return
        if any(side.blur for side in sides):  # a blurred band misread: once more at another scale
            for side in ordered:
                mrz = read_mrz(side.image, self.ocr, self._century(found), RETRY_WIDTHS[0])
                if mrz:
                    found.mrz, side.upright, side.has_mrz = mrz, True, True
                    self._reread_mrz(side.image, found, RETRY_WIDTHS[1:])
                    return

    def _reread_mrz(self, image: Image.Image, found: _Findings, widths=RETRY_WIDTHS) -> None:
        """A check digit failed: read the band at other scales, keep the read with fewest failures."""
        for width in widths:
            if not found.mrz.failed:
                return
            again = read_mrz(image, self.ocr, self._century(found), width)
            if again and len(again.failed) < len(found.mrz.failed):
                found.mrz = again

    def _read_printed(self, side: _Side, found: _Findings) -> None:
        card = side.image
        text = self.ocr.image_to_text(card)
        printed = parse_printed_text(text)
        if not side.upright and not printed.fields() and not looks_like_back(text):
            turned = card.rotate(180)  # upside down: no label and no MRZ reads the right way up
            turned_text = self.ocr.image_to_text(turned)
            turned_printed = parse_printed_text(turned_text)
            if len(turned_printed.fields()) > len(printed.fields()) or looks_like_back(turned_text):
                card, text, printed = turned, turned_text, turned_printed
        found.printed.append(printed)
        if found.mrz is None and (lines := find_td1_lines(text)):  # the band alone was misread
            with contextlib.suppress(ValueError):
                found.mrz = parse_td1(lines, self._century(found))


def _usable_images(files: list[tuple[str, bytes]]) -> list[Image.Image]:
    """Every page of every file, without those too small or too narrow to hold a card."""
    images = [img for name, data in files for img in load_images(name, data)]
    images = [img for img in images if min(img.size) >= MIN_SIDE and max(img.size) <= 12 * min(img.size)]
    if not images:
        raise IdCardReadError(
            "Ảnh quá nhỏ hoặc quá hẹp để đọc thẻ căn cước; hãy chụp lại cả thẻ, rõ nét."
        )
    return images


def _result(found: _Findings) -> IdCardData:
    """The sources merged; an error when neither the ID number nor the name could be read."""
    result = merge_sources(found.qr, found.mrz, _combine_printed(found.printed))
    if result.card_model is None and found.qr:
        result.card_model = "2024" if len(found.qr.extra) >= 2 else "2021"
    if found.timed_out:
        result.warn(None, TIMED_OUT_VI)
    if result.is_empty() or not (result.id_number or result.full_name):
        if found.timed_out:
            raise IdCardReadError("Máy đang bận, chưa đọc được thẻ trong thời gian cho phép; "
                                  "hãy thử lại sau ít phút hoặc nhập tay.")
        raise IdCardReadError("Không tìm thấy thẻ căn cước hoặc không đọc được thông tin trên thẻ "
                              "trong tệp đã gửi. Hãy chụp lại rõ nét, đủ cả thẻ.")
    return result


def _combine_printed(sides: list[PrintedData]) -> PrintedData | None:
    if not sides:
        return None
    combined = PrintedData()
    for side in sides:
        for key, value in side.fields().items():
            if getattr(combined, key) is None:
                setattr(combined, key, value)
    models = [s.card_model for s in sides if s.card_model]
    combined.card_model = models[0] if models else None
    combined.no_expiry = combined.expiry_date is None and any(s.no_expiry for s in sides)
    combined.expiry_text = next((s.expiry_text for s in sides if s.expiry_text), None)
    return combined


def read_id_files(files: list[tuple[str, bytes]]) -> IdCardData:
    """Module-level entry point, picklable for `run.cpu_bound` (a fresh reader per call)."""
    settle()  # the worker process and its tesseract yield the CPU to the event loop; it ends with the server
    return TesseractIdCardReader().read(files)
