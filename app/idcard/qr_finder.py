"""Find and decode the card's QR with zxing-cpp; it also tells the card's rotation."""
from __future__ import annotations

from dataclasses import dataclass

import zxingcpp
from PIL import Image, ImageFilter

from domain.idcard.qr import looks_like_card_qr


@dataclass
class FoundQr:
    payload: str
    angle: float          # degrees the image must be rotated counter-clockwise to be upright
    box: tuple[int, int, int, int]


def find_card_qr(image: Image.Image, deblurred: bool = False) -> FoundQr | None:
    """`deblurred`: the image comes out of a Wiener filter; its modules are sharp but small and
    ringing, so it is tried as it is and twice as big (no further sharpening or halving)."""
    candidates = (image, _upscaled(image, force=True)) if deblurred else \
        (image, _upscaled(image), _sharpened(image), _halved(image))
    for candidate in candidates:
        if candidate is None:
            continue
        for result in zxingcpp.read_barcodes(candidate, formats=zxingcpp.BarcodeFormat.QRCode):
            if result.valid and looks_like_card_qr(result.text):
                scale = image.width / candidate.width
                pos = result.position
                xs = [p.x * scale for p in (pos.top_left, pos.top_right, pos.bottom_left, pos.bottom_right)]
                ys = [p.y * scale for p in (pos.top_left, pos.top_right, pos.bottom_left, pos.bottom_right)]
                return FoundQr(result.text, float(result.orientation),
                               (int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys))))
    return None


def _upscaled(image: Image.Image, force: bool = False) -> Image.Image | None:
    if image.width >= 800 and not force:  # a QR on a card this wide has modules big enough already
        return None
    return image.resize((image.width * 2, image.height * 2), Image.LANCZOS)


def _sharpened(image: Image.Image) -> Image.Image:
    return image.filter(ImageFilter.UnsharpMask(radius=3, percent=200, threshold=0))


def _halved(image: Image.Image) -> Image.Image:
    """Motion blur a few pixels long shrinks below one module when the image is halved."""
    return image.resize((max(1, image.width // 2), max(1, image.height // 2)), Image.BOX)
