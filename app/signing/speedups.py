"""Two hot spots of verification, replaced by equivalent faster code (installed once per process):

- pyHanko reads a PDF hex string one token at a time (~3.5 µs a digit): the /Contents of three
  signatures (~90,000 digits) cost ~0.3 s of every verification. Same syntax, one pass, same result
  or the same error.
- asn1crypto prepares every name value for comparison (RFC 4518 string prep) on every parsed copy
  of a certificate: ~0.15 s per verification for Vietnamese names. The preparation is a pure
  function of the string, so it is memoised.
- pyHanko's HTTP clients (TSA, OCSP, CRL) load the certifi CA bundle into a new SSL context for
  every session, three sessions per signature (~90 ms each): one context is made once and shared.
"""
from __future__ import annotations

import binascii
from functools import lru_cache

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PDF_WHITESPACE, PdfStreamError

_CHUNK = 1 << 16


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


_original_prep = asn1_x509.NameTypeAndValue._ldap_string_prep


@lru_cache(maxsize=4096)
def _prep(string: str) -> str:
    return _original_prep(None, string)


@lru_cache(maxsize=1)
def _ssl_context():
    import ssl

    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def _default_session():
    import aiohttp

    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=_ssl_context()))


def install() -> None:
    from pyhanko_certvalidator.fetchers.aiohttp_fetchers import util as fetch_util

    fetch_util._default_session = _default_session
    generic.read_hex_string_from_stream = read_hex_string_from_stream
    asn1_x509.NameTypeAndValue._ldap_string_prep = lambda self, string: _prep(string)
