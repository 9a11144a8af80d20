"""Adapters that read ID cards from scans: image loading, QR, MRZ, tesseract."""
from .images import sniff_kind
from .reader import TesseractIdCardReader, read_id_files

__all__ = ["TesseractIdCardReader", "read_id_files", "sniff_kind"]
