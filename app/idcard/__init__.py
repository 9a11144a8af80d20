"""Adapters that read ID cards from scans: image loading, QR, MRZ, tesseract."""
from .reader import TesseractIdCardReader, read_id_files

__all__ = ["TesseractIdCardReader", "read_id_files"]
