"""pyHanko's QR stamp with a fixed QR mask pattern.

qrcode picks the "best" of 8 mask patterns by scoring each one, which costs more than the rest of
the stamp (~8 ms of a ~30 ms signature here). Every mask gives a standard, readable QR code; the
scoring only tunes contrast patterns. Mirrors ``QRStamp._qr_xobject`` of pyHanko 0.38.
"""
from __future__ import annotations

from dataclasses import dataclass

import qrcode
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.qr import PdfStreamQRImage
from pyhanko.pdf_utils.writer import BasePdfFileWriter, init_xobject_dictionary
from pyhanko.stamp import QRStamp, QRStampStyle

QR_MASK_PATTERN = 2


@dataclass(frozen=True)
class FixedMaskQRStampStyle(QRStampStyle):
    def create_stamp(self, writer: BasePdfFileWriter, box: layout.BoxConstraints,
                     text_params: dict) -> QRStamp:
        params = dict(text_params)
        url = params.pop("url")
        return _FixedMaskQRStamp(writer, style=self, url=url, text_params=params, box=box)


class _FixedMaskQRStamp(QRStamp):
    def _qr_xobject(self):
        qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=QR_MASK_PATTERN)
        qr.add_data(self.url)
        qr.make()
        img = qr.make_image(image_factory=PdfStreamQRImage)
        bbox_size = (qr.modules_count + 2 * qr.border) * qr.box_size
        qr_xobj = init_xobject_dictionary(img.render_command_stream(), bbox_size, bbox_size)
        qr_xobj.compress()
        return self.writer.add_object(qr_xobj), bbox_size
