"""Rules shared by the e-mail and SMS outboxes."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, update

from domain.access import CurrentUser
from domain.clock import utcnow
from domain.models import Dossier, EmailMessage
from domain.unit_of_work import UnitOfWork

# A row left 'sending' is taken back only after this long: another instance may still be sending it,
# and taking it back at once would send the same OTP twice.
SENDING_GRACE = timedelta(minutes=5)

# A gateway or mail server that is down is tried again, ever more rarely, for at least a day before the
# message is marked failed (the administrator sees it and can send it again): 30 s, 1, 2, 4 … minutes,
# then once an hour.
RETRY_FOR = timedelta(hours=24)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed try."""
    return min(LONGEST_WAIT, FIRST_RETRY * 2 ** max(0, min(attempts - 1, 20)))


def retried_long_enough(attempts: int) -> bool:
    """True once the waits between `attempts` tries add up to RETRY_FOR: the message is then failed."""
    return sum((backoff(n) for n in range(1, attempts)), timedelta()) >= RETRY_FOR


def take_back_interrupted(outbox, claimed_at, now: datetime, older_than: timedelta = SENDING_GRACE):
    """The statement that puts the rows of `outbox` left 'sending' longer than `older_than` (a process
    stopped mid-delivery; `claimed_at`: the column stamped when a row was claimed) back to 'retrying'.
    A younger one may still be in another instance's hands. Both outboxes recover with it."""
    return (update(outbox).where(outbox.status == "sending",
                                 or_(claimed_at.is_(None), claimed_at < now - older_than))
            .values(status="retrying"))


def email_again(message: EmailMessage, now: datetime) -> None:
    """An official asks to try a message again: a failed one gets a fresh day of tries; a sent one stays."""
    if message.status == "sent":
        return
    if message.status == "failed":
        message.attempts = 0
    message.status, message.next_attempt_at = "retrying", now


def send_email_again(session: UnitOfWork, user: CurrentUser, message_id: int) -> bool:
    """«Gửi lại» on a dossier's e-mail (/handled): False when the message is not of the official's office."""
    message = session.get(EmailMessage, message_id)
    dossier = session.get(Dossier, message.dossier_id) if message and message.dossier_id else None
    if dossier is None or user.is_citizen or dossier.office_id != user.office_id:
        return False
    email_again(message, utcnow())
    return True
