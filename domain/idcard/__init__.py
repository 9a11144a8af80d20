"""ID-card reading rules: parse the QR, the MRZ and the printed text; check; merge."""
from domain.ports import OcrEngine

from .merge import merge_sources
from .mrz import MrzData, check_digit, parse_td1
from .ports import IdCardReader
from .printed import PrintedData, parse_printed_text
from .qr import QrData, parse_qr_payload
from .result import FIELD_LABELS_VI, FIELDS, IdCardData, IdCardReadError

__all__ = [
    "FIELDS", "FIELD_LABELS_VI", "IdCardData", "IdCardReadError", "IdCardReader", "MrzData",
    "OcrEngine", "PrintedData", "QrData", "check_digit", "merge_sources", "parse_printed_text",
    "parse_qr_payload", "parse_td1",
]
