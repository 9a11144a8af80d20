"""Step 3 (leader signs) and step 4 (office seals): two incremental signatures.

The leader's signature certifies the copy (DocMDP: form filling and signing allowed); the office
signature fills the field that existed before, whose /Lock locks every field and the document
(/P 1), so only DSS updates and document time-stamps may follow. With trust roots both carry their
chains and revocation data (PAdES B-LT); the office's is followed by a document time-stamp (B-LTA).
"""
from __future__ import annotations

from datetime import date, datetime

from domain.clock import LOCAL_TZ
from domain.ports import Signer
from domain.signing.ports import SignatureRequest
from domain.signing.statement import (
    DEFAULT_STATEMENT_TEMPLATE,
    LEADER_FIELD,
    OFFICE_FIELD,
    format_sealing_lines,
    vietnamese_date,
)


def sign_as_leader(pdf: bytes, signer: Signer, **facts) -> bytes:
    return signer.sign_pdf(pdf, leader_request(**facts))


def seal_as_office(pdf: bytes, signer: Signer, **facts) -> bytes:
    return signer.sign_pdf(pdf, office_request(**facts))


def sign_file_as_leader(source: str, target: str, signer: Signer, **facts) -> None:
    sign_file(signer, source, target, leader_request(**facts))


def seal_file_as_office(source: str, target: str, signer: Signer, **facts) -> None:
    sign_file(signer, source, target, office_request(**facts))


def sign_file(signer: Signer, source: str, target: str, request: SignatureRequest) -> None:
    """Sign the file at `source` into `target`: from file to file when the signer can (a thick copy is
    never held whole), else through its bytes."""
    by_file = getattr(signer, "sign_file", None)
    if by_file is not None:
        by_file(source, target, request)
        return
    with open(source, "rb") as src:
        signed = signer.sign_pdf(src.read(), request)
    with open(target, "wb") as out:
        out.write(signed)


def leader_request(*, name: str, title: str, office_name: str, tsa_url: str | None = None,
                   now: datetime | None = None, trust_roots_der: tuple[bytes, ...] = ()) -> SignatureRequest:
    at = (now or datetime.now(LOCAL_TZ)).astimezone(LOCAL_TZ)
    lines = (
        f"Ký bởi: {name}",
        f"Chức vụ: {title}",
        office_name,
        f"Thời gian ký: {at:%H:%M:%S} ngày {at:%d/%m/%Y}",
    )
    return SignatureRequest(
        field_name=LEADER_FIELD, stamp_lines=lines, reason="Chứng thực bản sao đúng với bản chính",
        location=office_name, signer_name=name, tsa_url=tsa_url, certify=True,
        trust_roots_der=trust_roots_der,
    )


def office_request(*, office_name: str, number_text: str, book: str, date: date, verify_url: str,
                   tsa_url: str | None = None, statement_template: str = DEFAULT_STATEMENT_TEMPLATE,
                   trust_roots_der: tuple[bytes, ...] = ()) -> SignatureRequest:
    """The stamp shows the statement's number and date lines (from the same template as the page)
    and, under the QR, the verification code in the form the /verify page accepts."""
    lines = format_sealing_lines(statement_template, number_text=number_text, book=book, on=date)
    if not lines:  # a template without the number/date lines: still show them
        lines = (f"Số chứng thực: {number_text}   Quyển số: {book}", vietnamese_date(date))
    return SignatureRequest(
        field_name=OFFICE_FIELD,
        stamp_lines=(*lines, office_name),
        qr_url=verify_url,
        qr_caption=f"Mã tra cứu: {verify_code(verify_url)}",
        reason=f"Đóng dấu số chứng thực {number_text}",
        location=office_name,
        signer_name=office_name,
        tsa_url=tsa_url,
        trust_roots_der=trust_roots_der,
        archive_timestamp=bool(trust_roots_der and tsa_url),
    )


def verify_code(verify_url: str) -> str:
    """The code at the end of the verification address (…/verify/CODE)."""
    return verify_url.rstrip("/").rsplit("/", 1)[-1]
