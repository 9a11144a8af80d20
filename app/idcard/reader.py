"""The ID-card reader: QR first, then MRZ, then the printed text (implements IdCardReader)."""
from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

from domain.idcard import IdCardData, IdCardReadError, merge_sources, parse_printed_text, parse_qr_payload
from domain.idcard.checks import birth_century
from domain.idcard.mrz import MrzData
from domain.idcard.printed import PrintedData
from domain.idcard.qr import QrData

from .geometry import crop_card, estimate_skew, rotate_upright
from .images import load_images
from .mrz_finder import looks_like_back, read_mrz
from .ocr import TesseractOcr
from .qr_finder import find_card_qr

MAX_FILES = 2
MIN_OCR_WIDTH = 1000


@dataclass
class _Findings:
    qr: QrData | None = None
    mrz: MrzData | None = None
    printed: list[PrintedData] = field(default_factory=list)


class TesseractIdCardReader:
    """read([(name, bytes), ...]) -> IdCardData. `ocr_printed=False` is the fast path: when a
    card QR is found, only the QR is used (no tesseract at all; nationality, place of origin and
    expiry stay empty); without a QR it reads MRZ and printed text as usual."""

    def __init__(self, ocr: TesseractOcr | None = None, ocr_printed: bool = True):
        self.ocr = ocr or TesseractOcr()
        self.ocr_printed = ocr_printed

    def read(self, files: list[tuple[str, bytes]]) -> IdCardData:
        if not files:
            raise IdCardReadError("Chưa có tệp nào để đọc.")
        if len(files) > MAX_FILES:
            raise IdCardReadError("Chỉ nhận tối đa hai tệp: mặt trước và mặt sau của thẻ.")
        images = [img for name, data in files for img in load_images(name, data)]
        found = _Findings()
        if not self.ocr_printed:
            qrs = [qr for qr in map(find_card_qr, images) if qr]
            if qrs:
                return merge_sources(parse_qr_payload(qrs[0].payload), None, None)
        for image in images:
            self._read_side(image, found)
        printed = _combine_printed(found.printed)
        result = merge_sources(found.qr, found.mrz, printed)
        if result.is_empty() or not (result.id_number or result.full_name):
            raise IdCardReadError("Không tìm thấy thẻ căn cước hoặc không đọc được thông tin trên thẻ "
                                  "trong tệp đã gửi. Hãy chụp lại rõ nét, đủ cả thẻ.")
        return result

    def _read_side(self, image: Image.Image, found: _Findings) -> None:
        qr = find_card_qr(image)
        if qr:
            if found.qr is None:
                found.qr = parse_qr_payload(qr.payload)
            upright = rotate_upright(image, -qr.angle)
        else:
            upright = rotate_upright(image, estimate_skew(image))
        card = _scaled(crop_card(upright))
        century = birth_century(found.qr.id_number) if found.qr and found.qr.id_number else None
        if found.qr is not None and not self.ocr_printed:
            if found.mrz is None:
                found.mrz = read_mrz(card, self.ocr, century)
            return
        text = self.ocr.image_to_text(card)
        if not _has_labels(text) and not looks_like_back(text) and qr is None:
            card = _scaled(crop_card(upright.rotate(-self.ocr.orientation(upright), expand=True)))
            text = self.ocr.image_to_text(card)
        found.printed.append(parse_printed_text(text))
        if found.mrz is None and looks_like_back(text):
            found.mrz = read_mrz(card, self.ocr, century)


def _scaled(card: Image.Image) -> Image.Image:
    if card.width >= MIN_OCR_WIDTH:
        return card
    factor = MIN_OCR_WIDTH / card.width
    return card.resize((MIN_OCR_WIDTH, round(card.height * factor)), Image.LANCZOS)


def _has_labels(text: str) -> bool:
    parsed = parse_printed_text(text)
    return bool(parsed.fields())


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
    return combined


def read_id_files(files: list[tuple[str, bytes]]) -> IdCardData:
    """Module-level entry point, picklable for `run.cpu_bound` (a fresh reader per call)."""
    return TesseractIdCardReader().read(files)
