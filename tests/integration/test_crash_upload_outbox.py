"""Crash safety of an upload and of the e-mail outbox, against the real server process (SIGKILL).

1. The server is killed while a large upload is still being streamed to it (a raw socket sends part of a
   multipart body to the page's real upload endpoint, then stalls); restarted on the same DATA_DIR it serves,
   and the file store holds no half-written file (every file's name is its SHA-256, every StoredFile row has
   its whole file).
2. A process is killed inside the file store's write (after the temp file is written, before the rename):
   the half-written temp file is never referenced, and the restarted server serves.
3. An e-mail queued while SMTP is down survives a SIGKILL and is delivered after the restart."""
from __future__ import annotations

import email
import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlmodel import select

from tests.e2e.conftest import start_server

ROOT = Path(__file__).resolve().parents[2]


def kill(server) -> None:
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=10)


def stop(server) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()


def check_store(data_dir: Path) -> int:
    """No half-written file is referenced; every stored file is whole. Returns the number of files."""
    from sqlalchemy import create_engine, text

    files_dir = data_dir / "files"
    whole = {}
    for path in files_dir.rglob("*") if files_dir.exists() else []:
        if path.is_file() and not path.name.startswith(".tmp-"):
            assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name, f"half-written: {path}"
            assert path.parent.name == path.name[:2]
            whole[path.name] = path.stat().st_size
    engine = create_engine(f"sqlite:///{data_dir / 'chungthuc.db'}")
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT sha256, size FROM storedfile")).all()
    finally:
        engine.dispose()
    for sha, size in rows:
        assert whole.get(sha) == size, f"StoredFile {sha} has no whole file"
    return len(whole)


def serves(server) -> None:
    assert httpx.get(server.url + "/healthz", timeout=10).json()["status"] == "ok"
    page = httpx.get(server.url + "/login", timeout=10)
    assert page.status_code == 200 and "Chứng thực" in page.text


def test_server_killed_during_a_large_upload_restarts_clean(tmp_path):
    data_dir = tmp_path / "data"
    server = start_server(data_dir)
    try:
        page = httpx.get(server.url + "/verify", timeout=10).text
        match = re.search(r"/_nicegui/client/[0-9a-f-]+/upload/\d+", page)  # the page's real upload endpoint
        assert match, "no upload endpoint on /verify"
        url = match.group(0)
        boundary = "----crash-test-boundary"
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ban-sao.pdf\"\r\n"
                "Content-Type: application/pdf\r\n\r\n").encode() + b"%PDF-1.7\n"
        total = 15 * 1024 * 1024
        with socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1])), timeout=10) as sock:
            sock.sendall((f"POST {url} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                          f"Content-Length: {total}\r\n\r\n").encode() + head)
            chunk = b"A" * 65536
            for _ in range(6 * 1024 * 1024 // len(chunk)):  # 6 MB of 15, then the stream stalls
                sock.sendall(chunk)
            time.sleep(0.5)
            kill(server)
        assert server.process.returncode == -signal.SIGKILL
        check_store(data_dir)
        server = start_server(data_dir)
        serves(server)
        check_store(data_dir)
    finally:
        stop(server)


KILL_IN_STORE = r"""
import os, signal, sys
sys.path.insert(0, {root!r})
os.environ["DATA_DIR"] = {data!r}
from app import files
from app.db import write_scope
real_replace = os.replace
def crash(src, dst):  # the temp file is written and fsynced; die before the rename
    os.kill(os.getpid(), signal.SIGKILL)
os.replace = crash
with write_scope() as session:
    files.store_bytes(b"%PDF-1.7 half written scan " * 40000, "application/pdf", session)
    session.commit()
"""


def test_process_killed_inside_the_file_store_write_leaves_nothing_referenced(tmp_path):
    data_dir = tmp_path / "data"
    server = start_server(data_dir)
    stop(server)
    before = check_store(data_dir)
    out = subprocess.run([sys.executable, "-c", KILL_IN_STORE.format(root=str(ROOT), data=str(data_dir))],
                         cwd=ROOT, capture_output=True, timeout=60)
    assert out.returncode == -signal.SIGKILL, out.stderr.decode()
    temps = list((data_dir / "files").rglob(".tmp-*"))
    assert temps, "the crash should have left the temp file behind"
    assert check_store(data_dir) == before  # the half-written file is not a stored file, no row points at it
    server = start_server(data_dir)
    try:
        serves(server)
        assert check_store(data_dir) == before
    finally:
        stop(server)


class Inbox:
    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_queued_email_survives_a_kill_and_is_delivered_after_restart(tmp_path, monkeypatch):
    from aiosmtpd.controller import Controller

    from app.db import UNITS, dispose_engine, session_scope
    from app.settings import reload_settings
    from domain.models import EmailMessage

    data_dir = tmp_path / "data"
    smtp_port = _free_port()  # nothing listens here yet
    smtp_env = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_port)}
    server = start_server(data_dir, smtp_env)
    try:
        # seal a dossier on the server's own database (the server's delivery loop then fails: SMTP is down)
        monkeypatch.setenv("DATA_DIR", str(data_dir))
        for key, value in smtp_env.items():
            monkeypatch.setenv(key, value)
        dispose_engine()
        reload_settings()
        from app.signing import certification_service as service
        from tests.support.workflow import signed_dossier_ready, user_named

        dossier_id = signed_dossier_ready(pages=1, email="an@example.test")
        service.sign(UNITS, user_named("lanhdao"), dossier_id)
        service.seal(UNITS, user_named("vanthu"), dossier_id)
        with session_scope() as session:
            mail = session.exec(select(EmailMessage).where(EmailMessage.dossier_id == dossier_id)).one()
            assert mail.sent_at is None
        time.sleep(1.0)
        kill(server)
        from app.db import write_scope
        from domain.clock import utcnow

        with write_scope() as session:  # if the loop already tried (SMTP down), skip its back-off wait
            row = session.get(EmailMessage, mail.id)
            assert row.sent_at is None and row.status in ("queued", "retrying", "sending")
            row.next_attempt_at = utcnow()
            if row.status == "sending":  # killed mid-send: what recover_interrupted handles after 5 min
                row.status = "retrying"
            session.commit()
        dispose_engine()
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        try:
            server = start_server(data_dir, smtp_env)
            deadline = time.time() + 40
            while time.time() < deadline and not inbox.messages:
                time.sleep(0.3)
            assert inbox.messages, "the queued e-mail was not delivered after the restart:\n" + \
                server.log_path.read_text()[-3000:]
            message = inbox.messages[0]
            assert message["To"] == "an@example.test"
            attachments = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
            assert attachments and attachments[0].get_payload(decode=True).startswith(b"%PDF")
            time.sleep(0.5)
            with session_scope() as session:
                assert session.get(EmailMessage, mail.id).sent_at is not None
        finally:
            controller.stop()
    finally:
        dispose_engine()
        stop(server)


def test_temp_files_left_by_a_killed_write_are_removed_at_start(app_env):
    import os
    import time

    from app.files import remove_leftover_temp_files
    from app.settings import get_settings

    folder = get_settings().files_dir / "ab"
    folder.mkdir(parents=True)
    old, fresh = folder / ".tmp-old", folder / ".tmp-fresh"
    old.write_bytes(b"half a scan")
    fresh.write_bytes(b"being written now")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert remove_leftover_temp_files() == 1
    assert not old.exists() and fresh.exists()
