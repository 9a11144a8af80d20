"""What the requester is told, built in one place and queued in the use case's unit of work (delivery
happens after the commit, by the outbox jobs): the copy is ready (the seal), or the request is refused
(the written notice of Art. 9, with its legal grounds)."""
from __future__ import annotations

from sqlmodel import Session

from domain.models import Dossier, EmailMessage, Office, RegisterEntry
from domain.sms import queue_sms
from domain.text import fold


def copy_ready(session: Session, dossier: Dossier, office: Office, entries: list[RegisterEntry]) -> None:
    """The e-mail with each copy and the SMS notice."""
    # The copy itself always goes by e-mail when there is an address (C13 delivery); the office's
    # notification settings only govern the SMS notice.
    if dossier.requester_email:
        for entry in entries:
            session.add(
                EmailMessage(
                    to_addr=dossier.requester_email,
                    dossier_id=dossier.id,
                    subject=f"Bản sao điện tử đã chứng thực — số {entry.number_text}",
                    body=(
                        f"Kính gửi {dossier.requester_name},\n\n{office.name} gửi kèm bản sao điện tử "
                        f"được chứng thực từ bản chính «{entry.document_title}», số chứng thực "
                        f"{entry.number_text}, quyển số {entry.book}.\nTra cứu: {entry.verify_code}"
                        "\n\nTrân trọng."
                    ),
                    attachment_sha256=entry.file_sha256,
                    attachment_name=f"ban-sao-{entry.year}-{entry.number}.pdf",
                )
            )
    if dossier.requester_phone and office.notify_sms:
        queue_sms(session, dossier.requester_phone,
                  f"{office.name}: ho so {dossier.code} da co ban sao dien tu chung thuc. "
                  "Vui long xem trong tai khoan hoac thu dien tu.", "copy_ready", office_id=office.id)


def refused(session: Session, dossier: Dossier, office: Office, notice_sha256: str, note: str) -> None:
    """The written refusal notice (already stored) by e-mail, and an SMS, as the office's settings say."""
    if dossier.requester_email and office.notify_email:
        session.add(
            EmailMessage(
                to_addr=dossier.requester_email,
                dossier_id=dossier.id,
                subject=f"Thông báo từ chối chứng thực — hồ sơ {dossier.code}",
                body=(
                    f"Kính gửi {dossier.requester_name},\n\n{office.name} thông báo từ chối "
                    f"chứng thực bản sao từ bản chính của hồ sơ {dossier.code}. Lý do và căn cứ "
                    f"pháp lý nêu trong thông báo gửi kèm.\n\nTrân trọng."
                ),
                attachment_sha256=notice_sha256,
                attachment_name=f"thong-bao-tu-choi-{dossier.code}.pdf",
            )
        )
    if dossier.requester_phone and office.notify_sms:
        queue_sms(session, dossier.requester_phone,
                  f"{fold(office.name).upper()}: ho so {dossier.code} bi tu choi chung thuc. Ly do: "
                  f"{fold(note.strip())[:80]}. Xem thong bao bang van ban tai bo phan mot cua "
                  "hoac trong tai khoan.", "refusal_notice", office_id=dossier.office_id)
