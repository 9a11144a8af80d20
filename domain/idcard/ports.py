"""What the domain needs from outside to read an ID card (the OCR engine under it: domain/ports.py)."""
from __future__ import annotations

from typing import Protocol

from .result import IdCardData


class IdCardReader(Protocol):
    def read(self, files: list[tuple[str, bytes]]) -> IdCardData:
        """Read one card from one or two files (name, content): both sides in one file or one
        side per file. Raises IdCardReadError (message in Vietnamese) when no card can be read."""
        ...

