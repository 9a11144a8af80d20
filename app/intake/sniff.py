"""What a file really is, from its first bytes (never from its name): the one sniffer of every upload,
ID-card scans included. A PDF must start with its header: bytes before it are refused, as pyHanko and
the page renderer would misread such a file."""
from __future__ import annotations

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old Word (.doc) container


def sniff(data: bytes) -> str | None:
    """The real content type from the magic bytes: pdf | jpeg | png | docx | doc | None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(OLE2):
        return "doc"
    if data.startswith(b"PK\x03\x04"):
        return "docx"  # a zip: callers confirm it holds word/document.xml
    return None
