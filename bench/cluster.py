"""The servers a bench talks to: one process on SQLite, or two processes on a throwaway PostgreSQL with a
shared DATA_DIR behind Debian's nginx with sticky sessions (docs/deployment.md section 2), all on 127.0.0.1.

    with cluster(data_dir, processes=2) as c:   # c.url: the proxy; c.servers: LiveServer per process
        ...

PostgreSQL is started as tools/run_tests.sh does (its own folder and port, trust auth, fsync off), nginx from
the Debian package, installed here when missing (a bench tool, like Lighthouse in bench/lighthouse — never a
product dependency). Clients must send SESSION_HEADER with a value of their own: see nginx_conf.
"""
from __future__ import annotations

import collections
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tests.e2e.conftest import LiveServer, start_server

SESSION_HEADER = "X-Bench-Session"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(command: str) -> None:
    """Root may not run initdb/pg_ctl: they run as the postgres user, as in tools/run_tests.sh."""
    prefix = ["su", "postgres", "-s", "/bin/sh", "-c"] if os.getuid() == 0 else ["sh", "-c"]
    subprocess.run([*prefix, command], check=True, stdout=subprocess.DEVNULL)


@contextmanager
def throwaway_postgres():
    """A PostgreSQL of our own on 127.0.0.1 for the bench's life; yields its SQLAlchemy URL."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not bins:
        raise SystemExit("PostgreSQL is not installed (Debian package postgresql; `make bench` installs it)")
    pgbin, folder, port = bins[-1], Path(tempfile.mkdtemp(prefix="bench-pg-")), free_port()
    if os.getuid() == 0:
        shutil.chown(folder, "postgres")
    _as_postgres(f"{pgbin}/initdb -D {folder}/data -U postgres -A trust -E UTF8 --no-locale")
    # max_connections: two processes × (pool 10 + overflow 20) plus the bench's own engine.
    _as_postgres(f"{pgbin}/pg_ctl -D {folder}/data -l {folder}/log -w -t 60 "
                 f"-o '-k {folder} -h 127.0.0.1 -p {port} -c fsync=off -c max_connections=200' start")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        with suppress(subprocess.CalledProcessError):
            _as_postgres(f"{pgbin}/pg_ctl -D {folder}/data -m immediate stop")
        shutil.rmtree(folder, ignore_errors=True)


def ensure_nginx() -> str:
    path = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(path).exists():
        if os.getuid() != 0:
            raise SystemExit("nginx is missing; run as root: apt-get install -y nginx-light")
        print("Installing nginx (Debian package nginx-light) for the two-process bench")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "nginx-light"],
                       check=True, env=env, stdout=subprocess.DEVNULL)
    return path


def nginx_conf(folder: Path, port: int, upstreams: list[str]) -> str:
    servers = "\n".join(f"        server {u};" for u in upstreams)
    temp = "\n".join(f"    {kind}_temp_path {folder}/{kind};" for kind in
                     ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # Stickiness: production uses ip_hash (docs/deployment.md), but every bench client comes from 127.0.0.1,
    # so ip_hash would put all of them on one process. Each simulated tablet sends its own X-Bench-Session
    # value instead, hashed the same way (consistent hashing, like a sticky cookie of the proxy's own):
    # one tablet stays on one process for its page loads and websockets, and the tablets spread over both.
    # A request without it (the Chromium sign-ins) is keyed by its address, as ip_hash would: nginx's hash
    # with an empty key falls back to round robin, which split a page from its websocket and scripts.
    return f"""
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 4096; }}
http {{
{temp}
    log_format bench '$sticky $upstream_addr $status';
    access_log {folder}/access.log bench;
    map $http_x_bench_session $sticky {{
        "" $remote_addr;
        default $http_x_bench_session;
    }}
    upstream chungthuc {{
        hash $sticky consistent;
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 25m;
        # NiceGUI's websocket (socket.io): the upgrade headers and long timeouts of docs/deployment.md
        location /_nicegui_ws/ {{
            proxy_pass http://chungthuc;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 3600s;
            proxy_send_timeout 3600s;
            proxy_buffering off;
        }}
        location / {{
            proxy_pass http://chungthuc;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 300s;
        }}
    }}
}}
"""


@contextmanager
def sticky_nginx(upstreams: list[str]):
    """nginx in the foreground in a folder of its own; yields (url, access log path)."""
    binary = ensure_nginx()
    folder, port = Path(tempfile.mkdtemp(prefix="bench-nginx-")), free_port()
    folder.chmod(0o755)  # the workers run as nobody and create their temp folders inside
    (folder / "nginx.conf").write_text(nginx_conf(folder, port, upstreams))
    argv = [binary, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                               stderr=open(folder / "stderr.log", "w"))  # noqa: SIM115 — nginx's whole life
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        if process.poll() is not None:
            raise RuntimeError("nginx exited:\n" + (folder / "stderr.log").read_text())
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    try:
        yield url, folder / "access.log"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Cluster:
    url: str
    servers: list[LiveServer]
    database_url: str
    access_log: Path | None = None
    _log_offset: int = field(default=0, repr=False)

    def spread(self) -> dict[str, int]:
        """Sessions per process since the last call (from nginx's access log; {} on one process)."""
        if self.access_log is None or not self.access_log.exists():
            return {}
        with self.access_log.open() as log:
            log.seek(self._log_offset)
            lines = log.readlines()
            self._log_offset = log.tell()
        ports = {s.url.rsplit(":", 1)[1]: f"process {i + 1}" for i, s in enumerate(self.servers)}
        seen = {(parts[0], parts[1]) for line in lines if len(parts := line.split()) >= 2
                and parts[0].startswith("tablet-")}
        count = collections.Counter(ports.get(addr.rsplit(":", 1)[-1], addr) for _, addr in seen)
        return dict(sorted(count.items()))


def stop(server: LiveServer | subprocess.Popen) -> None:
    process = server.process if isinstance(server, LiveServer) else server
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@contextmanager
def demo_pki_services(data_dir: Path):
    """The demo PKI's CRL, OCSP and time-stamp services in a process of their own (`main.py pki-services`),
    as a CA's are on other machines: a server finding them answering does not serve them itself, where their
    Python work (~16 % of the server's samples at 50 sessions) took the interpreter from its event loop."""
    from app.settings import get_settings

    url = urlsplit(get_settings().pki_url)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATA_DIR": str(data_dir), "DEMO": "1"}
    env.pop("DATABASE_URL", None)
    with open(data_dir / "pki.log", "w") as log:
        process = subprocess.Popen([sys.executable, "main.py", "pki-services"], cwd=Path(__file__).parents[1],
                                   env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not _answers(host, port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the demo PKI services did not start: {data_dir / 'pki.log'}")
            time.sleep(0.2)
        yield
    finally:
        stop(process)


def _answers(host: str, port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex((host, port)) == 0


@contextmanager
def cluster(data_dir: Path, processes: int = 1):
    """One process on SQLite, or `processes` on PostgreSQL behind the sticky nginx; the demo PKI beside."""
    with demo_pki_services(data_dir), _servers(data_dir, processes) as running:
        yield running


@contextmanager
def _servers(data_dir: Path, processes: int):
    if processes == 1:
        server = start_server(data_dir)
        try:
            yield Cluster(server.url, [server], server.database_url)
        finally:
            stop(server)
        return
    with throwaway_postgres() as database_url:
        # The same STORAGE_SECRET everywhere (docs/deployment.md); DATA_DIR (files, demo CA, NiceGUI's
        # storage) is shared. One at a time: the first migrates, seeds the demo office and makes the demo CA.
        env = {"DATABASE_URL": database_url, "STORAGE_SECRET": "bench-" + uuid.uuid4().hex}
        servers: list[LiveServer] = []
        try:
            for i in range(processes):
                servers.append(start_server(data_dir, env, log_name=f"server-{i + 1}.log"))
            with sticky_nginx([s.url.removeprefix("http://") for s in servers]) as (url, access_log):
                yield Cluster(url, servers, database_url, access_log)
        finally:
            for server in servers:
                stop(server)
