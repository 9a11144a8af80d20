"""Two hot spots of verification replaced by equivalent faster code (installed once per process).

pyHanko and asn1crypto offer no option for either, so these patch library internals; each is pinned
by tests/unit/test_speedups.py, which fails if the library changes under it (the patched name is
gone, no longer used, or the original gives a different answer than the replacement):

- pyHanko reads a PDF hex string one token at a time (~3.5 µs a digit): the /Contents of three
  signatures (~90,000 digits) cost ~0.3 s of every verification. Same syntax, one pass, same result
  or the same error.
- asn1crypto prepares every name value for comparison (RFC 4518 string prep) on every parsed copy
  of a certificate: ~0.15 s per verification for Vietnamese names. The preparation is a pure
  function of the string, so it is memoised.

(The shared SSL context of the HTTP clients is no longer a patch: app/signing/http.py passes a
session through pyHanko's own ``session`` parameters.)
"""
from __future__ import annotations

import binascii
from functools import lru_cache

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PDF_WHITESPACE, PdfStreamError

_CHUNK = 1 << 16
original_read_hex_string = generic.read_hex_string_from_stream


def read_hex_string_from_stream(stream):
    stream.read(1)  # the opening '<'
    chunks = []
    while True:
        start = stream.tell()
        block = stream.read(_CHUNK)
        if not block:
            raise PdfStreamError("Stream has ended unexpectedly")
        end = block.find(b">")
        if end >= 0:
            chunks.append(block[:end])
            stream.seek(start + end + 1)
            break
        chunks.append(block)
    digits = b"".join(chunks).translate(None, PDF_WHITESPACE)
    bad = digits.translate(None, generic.HEX_DIGITS)
    if bad:
        raise PdfStreamError("Unexpected token in hex string: " + repr(bad[:1]))
    if len(digits) % 2:
        digits += b"0"
    return generic.pdf_string(binascii.unhexlify(digits))


original_ldap_string_prep = asn1_x509.NameTypeAndValue._ldap_string_prep


@lru_cache(maxsize=4096)
def prep(string: str) -> str:
    return original_ldap_string_prep(None, string)


def install() -> None:
    generic.read_hex_string_from_stream = read_hex_string_from_stream
    asn1_x509.NameTypeAndValue._ldap_string_prep = lambda self, string: prep(string)
