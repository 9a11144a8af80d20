"""The one place that drives pyHanko's PdfSigner: PAdES B-B, B-T with a TSA, B-LT with the chains and
revocation data in the DSS, B-LTA with a document time-stamp; DocMDP certification; visible stamp."""
from __future__ import annotations

import asyncio
from io import BytesIO
from typing import BinaryIO

import aiohttp
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import async_add_validation_info
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

from domain.signing.ports import SignatureRequest

from .fonts import nfc, stamp_font
from .http import http_session, naming_outages, service_timeout
from .qr_stamp import FixedMaskQRStampStyle
from .speedups import install as _install_speedups

_install_speedups()  # the office signs a file that already holds the leader's signature

STAMP_FONT_SIZE = 10
_BORDER_COLOR = (0.7, 0.05, 0.05)


def sign_with_pyhanko(pdf: bytes, signer: signers.Signer, request: SignatureRequest) -> bytes:
    """Fill the (existing) field ``request.field_name`` with a signature in a new revision."""
    out = BytesIO()
    asyncio.run(_sign_naming_outages(BytesIO(pdf), out, signer, request))
    return out.getvalue()


def sign_file_with_pyhanko(source: str, target: str, signer: signers.Signer,
                           request: SignatureRequest) -> None:
    """The same from file to file: pyHanko reads the objects it needs and copies the rest in chunks, so
    a 1,000-page copy is never held whole."""
    with open(source, "rb") as src, open(target, "w+b") as out:
        asyncio.run(_sign_naming_outages(src, out, signer, request))


async def _sign_naming_outages(source: BinaryIO, out: BinaryIO, signer: signers.Signer,
                               request: SignatureRequest) -> None:
    """A handful of requests (TSA, OCSP, CRL, caIssuers), each bounded by the service timeout; one that
    goes unanswered fails the step as a ServiceOutage naming the service."""
    with naming_outages(request.tsa_url):
        await _sign(source, out, signer, request)


async def _sign(source: BinaryIO, out: BinaryIO, signer: signers.Signer, request: SignatureRequest) -> None:
    writer = IncrementalPdfFileWriter(source)
    long_term = bool(request.trust_roots_der)
    async with http_session() as session:
        vc = signing_validation_context(request.trust_roots_der, session) if long_term else None
        meta = signers.PdfSignatureMetadata(
            field_name=request.field_name,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=request.reason,
            location=request.location,
            name=request.signer_name,
            signer_key_usage={"non_repudiation", "digital_signature"},
            certify=request.certify,
            docmdp_permissions=fields.MDPPerm.FILL_FORMS if request.certify else fields.MDPPerm.NO_CHANGES,
            embed_validation_info=long_term,
            validation_context=vc,
            use_pades_lta=bool(request.archive_timestamp and request.tsa_url and long_term),
        )
        timestamper = (
            HTTPTimeStamper(request.tsa_url, timeout=service_timeout(), session=session)
            if request.tsa_url else None
        )
        params: dict[str, str] = {"body": nfc("\n".join(request.stamp_lines))}
        if request.qr_url:
            params["url"] = request.qr_url
            params["qr_caption"] = nfc(request.qr_caption or "")
        pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper,
                                       stamp_style=stamp_style(with_qr=bool(request.qr_url)))
        await pdf_signer.async_sign_pdf(
            writer,
            appearance_text_params=params,
            output=out,
            bytes_reserved=_bytes_reserved(signer, with_timestamp=timestamper is not None),
        )
        if long_term and timestamper is not None and not meta.use_pades_lta:
            await _add_timestamp_revinfo(out, vc)


async def _add_timestamp_revinfo(out: BinaryIO, vc: ValidationContext) -> None:
    """B-LT for a signature without a document time-stamp after it: the signature time-stamp's chain
    and revocation data go in a DSS update (pyHanko's LTA step does this for the office's)."""
    reader = PdfFileReader(out)
    await async_add_validation_info(reader.embedded_regular_signatures[-1], vc, in_place=True)


def signing_validation_context(roots_der: tuple[bytes, ...],
                               session: aiohttp.ClientSession | None = None) -> ValidationContext:
    """Fetch OCSP/CRLs now (hard-fail: no B-LT without them); a revoked certificate refuses to sign."""
    roots = [asn1_x509.Certificate.load(der) for der in roots_der]
    backend = (AIOHttpFetcherBackend(session, per_request_timeout=service_timeout())
               if session is not None else None)
    return ValidationContext(trust_roots=roots, allow_fetching=True, revocation_mode="hard-fail",
                             fetcher_backend=backend)


def _bytes_reserved(signer: signers.Signer, *, with_timestamp: bool) -> int:
    """Room for the CMS blob (hex, so twice its size), computed from the certificates it embeds.

    Without it pyHanko builds the whole CMS twice (a dry run, plus a dummy TSA request) per signature.
    """
    certs = [signer.signing_cert, *signer.cert_registry]
    size = 4096 + sum(len(cert.dump()) for cert in certs) + (12288 if with_timestamp else 0)
    return 2 * size


def stamp_style(*, with_qr: bool) -> TextStampStyle:  # QR: a pyHanko QRStampStyle
    # Noto Sans: units-per-em 1000 (DejaVu/Liberation use 2048 and render stretched and clipped).
    text_style = TextBoxStyle(font=GlyphAccumulatorFactory(stamp_font()), font_size=STAMP_FONT_SIZE,
                              leading=STAMP_FONT_SIZE + 3)
    # The body is passed as a parameter so that '%' in names or numbers is never interpreted.
    common = dict(stamp_text="%(body)s", text_box_style=text_style, border_width=1,
                  border_color=_BORDER_COLOR, background=None)
    if with_qr:
        return FixedMaskQRStampStyle(**common, innsep=4)
    return TextStampStyle(**common)
