"""pyHanko's QR stamp with the verification code printed under the QR, and a fixed QR mask.

Layout (inside the stamp's border): a left column with the QR code and, under it, one caption line
(``Mã tra cứu: CODE``), centred; the stamp text to the right, centred vertically. The caption is
a second pyHanko ``TextBox`` sharing the stamp text's font engine.

qrcode picks the "best" of 8 mask patterns by scoring each one, which costs more than the rest of
the stamp (~8 ms of a ~30 ms signature here). Every mask gives a standard, readable QR code; the
scoring only tunes contrast patterns. ``_qr_xobject`` and ``_inner_layout_natural_size`` replace
those of pyHanko 0.38's ``QRStamp`` (tests/integration/test_signing_verify.py renders the result).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import qrcode
from pyhanko.pdf_utils import content, layout
from pyhanko.pdf_utils.font.api import FontEngine, FontEngineFactory
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.qr import PdfStreamQRImage
from pyhanko.pdf_utils.text import TextBox
from pyhanko.pdf_utils.writer import BasePdfFileWriter, init_xobject_dictionary
from pyhanko.stamp import QRStamp, QRStampStyle, TextStamp

QR_MASK_PATTERN = 2
CAPTION_MARGIN = 1


@dataclass(frozen=True)
class FixedMaskQRStampStyle(QRStampStyle):
    def create_stamp(self, writer: BasePdfFileWriter, box: layout.BoxConstraints,
                     text_params: dict) -> QRStamp:
        params = dict(text_params)
        url = params.pop("url")
        caption = params.pop("qr_caption", "")
        return _FixedMaskQRStamp(writer, style=self, url=url, text_params=params, box=box, caption=caption)


class _SameEngine(FontEngineFactory):
    """A font "factory" handing out the engine the stamp text already uses."""

    def __init__(self, engine: FontEngine):
        self.engine = engine

    def create_font_engine(self, writer, obj_stream=None) -> FontEngine:
        return self.engine


class _FixedMaskQRStamp(QRStamp):
    def __init__(self, *args, caption: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption

    def _qr_xobject(self):
        qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=QR_MASK_PATTERN)
        qr.add_data(self.url)
        qr.make()
        img = qr.make_image(image_factory=PdfStreamQRImage)
        bbox_size = (qr.modules_count + 2 * qr.border) * qr.box_size
        qr_xobj = init_xobject_dictionary(img.render_command_stream(), bbox_size, bbox_size)
        qr_xobj.compress()
        return self.writer.add_object(qr_xobj), bbox_size

    def _caption_layout(self) -> tuple[bytes, float, float]:
        if not self.caption:
            return b"", 0, 0
        # tight margins (a text box's default is 10 pt a side): the QR keeps most of the height
        # and the stamp text's font engine (one embedded subset: a second costs ~40 ms a seal)
        style = replace(self.style.text_box_style, font=_SameEngine(self.text_box.font_engine),
                        box_layout_rule=layout.SimpleBoxLayoutRule(
                            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID,
                            margins=layout.Margins.uniform(CAPTION_MARGIN)))
        box = TextBox(style, writer=self.writer, resources=self.resources, font_name=self.text_box.font_name)
        box.content = self.caption
        return box.render(), box.box.width, box.box.height

    def _inner_layout_natural_size(self):
        """QR and caption in a column on the left, the text box on the right (inner units = points)."""
        text_commands, (text_w, text_h) = TextStamp._inner_layout_natural_size(self)
        caption_commands, caption_w, caption_h = self._caption_layout()
        qr_ref, natural_qr = self._qr_xobject()
        self.set_resource(category=content.ResourceType.XOBJECT, name=pdf_name("/QR"), value=qr_ref)
        sep, box = self.style.innsep, self.box
        if box.width_defined and box.height_defined:  # fill the field's height: sep, QR, sep, caption, sep
            qr_size = max(box.height, text_h) - caption_h - 3 * sep
        else:
            qr_size = round(0.2 * natural_qr)
        column_w = max(qr_size, caption_w) + 4 * sep  # clear of the border and of the text
        inn_w, inn_h = column_w + text_w, max(qr_size + caption_h + 3 * sep, text_h)
        qr_x, qr_y = (column_w - qr_size) / 2, inn_h - sep - qr_size
        scale = qr_size / natural_qr
        commands = [b"q %g 0 0 %g %g %g cm /QR Do Q" % (scale, scale, qr_x, qr_y)]
        if caption_commands:
            # the caption's own box has margins: its text sits just under the QR
            commands += [b"q 1 0 0 1 %g %g cm" % ((column_w - caption_w) / 2, qr_y - sep - caption_h),
                         caption_commands, b"Q"]
        commands += [b"q 1 0 0 1 %g %g cm" % (column_w, (inn_h - text_h) / 2), *text_commands, b"Q"]
        return commands, (inn_w, inn_h)
