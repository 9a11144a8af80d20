"""Adapters that read ID cards from scans: image loading, QR, MRZ, tesseract."""
from .reader import TesseractIdCardReader

__all__ = ["TesseractIdCardReader"]
