"""Background jobs, started once by main.py at start-up (never by a page): the delivery loop sends
the e-mail and SMS outboxes every 15 s, the renewal loop re-time-stamps issued copies daily, the
backup loop copies the database nightly (when BACKUP_DIR is set).

Pages call `deliver_soon()` right after a use case queued messages (it never blocks the page);
the loop retries whatever failed. `start_jobs()` is idempotent; it is not started under NiceGUI's
User test harness (NICEGUI_USER_SIMULATION), where tests call the delivery functions themselves.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading

from nicegui import app, background_tasks, run

from app.backup import start_backup_loop
from app.outbox.mailer import deliver_pending_email
from app.outbox.mailer import recover_interrupted as recover_email
from app.outbox.sms import deliver_pending_sms
from app.outbox.sms import recover_interrupted as recover_sms
from app.outbox.webhooks import deliver_webhooks
from app.signing.renewal import renew_due

log = logging.getLogger(__name__)

LOOP_SECONDS = 15
_email_lock = threading.Lock()  # one e-mail run at a time in this process (the outbox has no row claim)
_started = False


def deliver_email_now() -> int:
    if not _email_lock.acquire(blocking=False):
        return 0
    try:
        return deliver_pending_email()
    finally:
        _email_lock.release()


def deliver_all() -> tuple[int, int]:
    """Send what is due in both outboxes; returns (e-mails sent, SMS sent). A failure of one outbox
    never skips the other's round."""
    sent = []
    # webhooks after the e-mail: a copy sent now is a "delivered" event
    for deliver in (deliver_email_now, deliver_pending_sms, deliver_webhooks):
        try:
            sent.append(deliver())
        except Exception:  # noqa: BLE001 — logged; the next round tries again
            log.exception("%s failed", deliver.__name__)
            sent.append(0)
    return sent[0], sent[1]


def deliver_soon() -> None:
    """Fire-and-forget delivery after a commit; failures stay in the outbox for the loop."""
    async def work() -> None:
        try:
            await run.io_bound(deliver_all)
        except Exception:
            log.warning("delivery after commit failed", exc_info=True)

    background_tasks.create(work(), name="deliver-soon")


async def delivery_loop(interval: float = LOOP_SECONDS) -> None:
    for recover in (recover_sms, recover_email):
        try:
            await run.io_bound(recover)
        except Exception:
            log.warning("could not recover interrupted messages", exc_info=True)
    while True:
        try:
            await run.io_bound(deliver_all)
        except Exception:
            log.warning("delivery run failed", exc_info=True)
        await asyncio.sleep(interval)


RENEWAL_SECONDS = 24 * 3600


async def renewal_loop(interval: float = RENEWAL_SECONDS, first_delay: float = 300) -> None:
    """Once a day: a new document time-stamp for issued copies whose last one nears its end (B-LTA)."""
    await asyncio.sleep(first_delay)
    while True:
        try:
            result = await run.io_bound(renew_due)
            if result.renewed or result.failed:
                log.info("time-stamp renewal: %s renewed, %s failed", result.renewed, result.failed)
        except Exception:
            log.warning("time-stamp renewal run failed", exc_info=True)
        await asyncio.sleep(interval)


def start_jobs() -> None:
    """Register the delivery, renewal and backup loops to start with the app (once per process)."""
    global _started
    if _started or os.environ.get("NICEGUI_USER_SIMULATION"):
        return
    _started = True
    app.on_startup(lambda: background_tasks.create(delivery_loop(), name="outbox-delivery"))
    app.on_startup(lambda: background_tasks.create(renewal_loop(), name="timestamp-renewal"))
    start_backup_loop()
