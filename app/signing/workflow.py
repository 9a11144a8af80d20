"""Step 3 (leader signs) and step 4 (office seals): two incremental approval signatures.

Both are approval signatures (no DocMDP certification): the office signature fills a field that
already existed before the leader signed, which pyHanko's difference analysis accepts as form
filling, so the leader's signature stays INTACT:TRUSTED with acceptable modifications.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from domain.signing.ports import SignatureRequest, Signer
from domain.signing.statement import (
    DEFAULT_STATEMENT_TEMPLATE,
    LEADER_FIELD,
    OFFICE_FIELD,
    format_sealing_lines,
    vietnamese_date,
)

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def sign_as_leader(pdf: bytes, signer: Signer, *, name: str, title: str, office_name: str,
                   tsa_url: str | None = None, now: datetime | None = None) -> bytes:
    at = (now or datetime.now(VN_TZ)).astimezone(VN_TZ)
    lines = (
        f"Ký bởi: {name}",
        f"Chức vụ: {title}",
        office_name,
        f"Thời gian ký: {at:%H:%M:%S} ngày {at:%d/%m/%Y}",
    )
    request = SignatureRequest(
        field_name=LEADER_FIELD, stamp_lines=lines, reason="Chứng thực bản sao đúng với bản chính",
        location=office_name, signer_name=name, tsa_url=tsa_url,
    )
    return signer.sign_pdf(pdf, request)


def seal_as_office(pdf: bytes, signer: Signer, *, office_name: str, number_text: str, book: str,
                   date: date, verify_url: str, tsa_url: str | None = None,
                   statement_template: str = DEFAULT_STATEMENT_TEMPLATE) -> bytes:
    """The stamp shows the statement's number and date lines (from the same template as the page)."""
    lines = format_sealing_lines(statement_template, number_text=number_text, book=book, on=date)
    if not lines:  # a template without the number/date lines: still show them
        lines = (f"Số chứng thực: {number_text}   Quyển số: {book}", vietnamese_date(date))
    request = SignatureRequest(
        field_name=OFFICE_FIELD, stamp_lines=(*lines, office_name, "Tra cứu: quét mã QR"),
        qr_url=verify_url, reason=f"Đóng dấu số chứng thực {number_text}", location=office_name,
        signer_name=office_name, tsa_url=tsa_url,
    )
    return signer.sign_pdf(pdf, request)
