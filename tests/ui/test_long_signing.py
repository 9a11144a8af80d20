"""A seal whose signing never finishes ends at SIGNING_TIMEOUT_S in a Vietnamese message, the button usable
and no number used; a signing process that stops answering is ended at the bound; a remote signing service
that accepts and never answers is given up at the bound, not at its own 30 s or longer (issue 33 point 3)."""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import threading

import pytest
from nicegui.testing import User
from sqlmodel import func, select

from app import long_work
from app.db import session_scope
from app.signing import sign_seal
from app.signing import worker as signing_worker
from domain import workflow
from domain.models import RegisterEntry
from tests.support.workflow import signed_dossier_ready
from tests.ui.test_sign_seal_pages import dossier_state, sign_in, sign_now


def entries_of(dossier_id: int) -> list[int]:
    with session_scope() as session:
        return list(session.exec(select(RegisterEntry.number).where(RegisterEntry.dossier_id == dossier_id)))


def last_number() -> int:
    with session_scope() as session:
        return session.exec(select(func.max(RegisterEntry.number))).one() or 0


@pytest.mark.sqlite_only(reason="the page's bound; the release of the numbers is tested on both engines")
async def test_a_stuck_seal_ends_in_a_message_and_uses_no_number(user: User, monkeypatch):
    dossier_id = signed_dossier_ready(pages=1)
    await sign_now(dossier_id)
    before = last_number()
    gate, ended = threading.Event(), threading.Event()
    real = sign_seal.apply_seal

    def stuck(*args, **kwargs):  # the office's signature hangs (a token, a service that never answers)
        try:
            gate.wait(120)
            return real(*args, **kwargs)
        finally:
            ended.set()

    monkeypatch.setattr(sign_seal, "apply_seal", stuck)
    monkeypatch.setenv("SIGNING_TIMEOUT_S", "2")
    await sign_in(user, "vanthu")
    await user.open(f"/queue/seal/{dossier_id}")
    user.find(marker="do-action").click()
    try:
        await user.should_see("chưa xong sau 2 giây nên đã dừng", retries=300)
    finally:
        gate.set()
    await user.should_not_see(marker="step-progress")
    assert user.find(marker="do-action").elements.pop().enabled
    await asyncio.to_thread(ended.wait, 60)
    await asyncio.sleep(0.5)  # the abandoned thread meets its next step and stops there
    assert dossier_state(dossier_id) == workflow.SIGNED
    assert entries_of(dossier_id) == []

    monkeypatch.setattr(sign_seal, "apply_seal", real)
    monkeypatch.setenv("SIGNING_TIMEOUT_S", "300")
    user.find(marker="do-action").click()
    await user.should_see("Đã đóng dấu, cấp số", retries=600)
    assert entries_of(dossier_id) == [before + 1]  # the reserved number was released: no gap


def test_a_signing_process_that_stops_answering_is_ended_at_the_bound():
    signing_worker.start(1)
    try:
        pid = signing_worker.call(os.getpid)
        os.kill(pid, signal.SIGSTOP)  # stuck: alive, never answering
        try:
            with long_work.watching(long_work.Watch(1.5)), pytest.raises(long_work.GaveUp) as refused:
                signing_worker.call(os.getpid)  # without the bound: waits for good
            assert "chưa xong sau 1.5 giây" in refused.value.message
        finally:
            if _alive(pid):
                os.kill(pid, signal.SIGCONT)
        assert signing_worker.call(os.getpid) != pid  # a new process answers the next signature
    finally:
        signing_worker.stop()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_remote_signing_service_that_never_answers_is_given_up_at_the_bound():
    from app.signing.csc import CscClient
    from app.signing.csc_errors import RemoteSigningError

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # the connection is accepted (by the kernel) and nothing is ever answered
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        client = CscClient(url, "cred-1", token="t", timeout=3600)  # a provider configured to wait an hour
        with long_work.watching(long_work.Watch(1.5)), pytest.raises(RemoteSigningError) as refused:
            client.credential()
        assert refused.value.message.startswith("Dịch vụ ký số từ xa không trả lời kịp thời")
    finally:
        silent.close()
