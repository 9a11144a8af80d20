"""Rules shared by the e-mail and SMS outboxes."""
from __future__ import annotations

from datetime import timedelta

# A row left 'sending' is taken back only after this long: another instance may still be sending it,
# and taking it back at once would send the same OTP twice.
SENDING_GRACE = timedelta(minutes=5)
