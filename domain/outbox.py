"""Rules shared by the e-mail and SMS outboxes."""
from __future__ import annotations

from datetime import timedelta

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
