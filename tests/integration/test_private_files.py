"""Files (issue 12.10): started the way `make run` starts it, under a permissive umask (022), the server
keeps DATA_DIR 0700 and every file in it 0600 — the database, its WAL, the session storage, the scans."""
from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loose_entries(data_dir: Path) -> list[str]:
    loose = (
        [] if stat.S_IMODE(data_dir.stat().st_mode) == 0o700 else [f"{data_dir} {data_dir.stat().st_mode:o}"]
    )
    for path in data_dir.rglob("*"):
        mode = stat.S_IMODE(path.lstat().st_mode)
        if path.is_symlink():
            continue
        if mode != (0o700 if path.is_dir() else 0o600):
            loose.append(f"{path.relative_to(data_dir)} {mode:o}")
    return loose


def test_make_run_keeps_data_dir_private_whatever_the_umask(tmp_path):
    data = tmp_path / "data"
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/root"),
        "DATA_DIR": str(data),
        "DEMO": "1",
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "OMP_THREAD_LIMIT": "1",
    }

    def permissive():
        os.umask(0o022)

    migrate = subprocess.run([sys.executable, "main.py", "migrate"], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=180, preexec_fn=permissive)
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115 — the server writes to it until terminated
    server = subprocess.Popen([sys.executable, "main.py"], cwd=ROOT, env=env, preexec_fn=permissive,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "server.log").read_text()[-3000:]
            time.sleep(0.5)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", follow_redirects=True) as client:
            assert client.get("/login").status_code == 200  # a browser session: storage files appear
            client.get("/verify")
        time.sleep(1.5)  # NiceGUI writes its storage files in the background
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert (data / "chungthuc.db").exists()
    assert loose_entries(data) == []
