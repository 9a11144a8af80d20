"""Settings from the environment (and a `.env` file), each with a safe default.

Read once per process through get_settings(); tests call reload_settings() after changing env.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from dotenv import load_dotenv


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    base_url: str
    host: str
    port: int
    storage_secret: str
    demo: bool
    smtp_host: str
    smtp_port: int
    smtp_user: str
    smtp_password: str
    smtp_from: str
    smtp_starttls: bool
    sms_adapter: str
    sms_url: str
    sms_token: str
    sms_timeout: float
    tsa_url: str
    trust_roots: tuple[str, ...] = field(default_factory=tuple)
    max_scan_mb: int = 20
    max_scan_pages: int = 1000
    session_hours: int = 12
    idle_minutes: int = 30  # officials: a session unused this long ends (0: no idle limit)
    citizen_idle_minutes: int = 30
    backup_dir: str = ""
    backup_keep: int = 14
    pki_dir: str = ""
    pki_url: str = ""
    renew_days: int = 365
    signing_workers: int = 1  # processes that make signatures (app/signing/worker.py); 0: in the thread
    db_busy_seconds: int = 30  # a writer meeting another's write lock (SQLite) waits this long
    seal_wait_seconds: int = 300  # a seal waits this long for the office's seal in progress to finish
    log_level: str = "WARNING"  # LOG_LEVEL=INFO adds start-up and job news (migrations, deliveries)
    log_format: str = "plain"  # plain | json

    @property
    def pki_path(self) -> Path:
        """The demo PKI (Certomancer config, keys, PKCS#12 files of demo signers)."""
        return Path(self.pki_dir) if self.pki_dir else self.data_dir / "pki"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"


PRIVATE_SUBDIRS = (
    "nicegui",
    "ca",
    "previews",
)  # small folders tightened at start; the file store writes 0600


def make_private(data_dir: Path) -> None:
    """DATA_DIR 0700 and everything this process creates 0600/0700, whatever the umask it was started
    with: the database, its WAL, the session storage and the scans are nobody else's to read. Entries
    an older version left readable at the top of DATA_DIR (and in its small folders) are tightened."""
    os.umask(0o077)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(data_dir, 0o700)
    for entry in data_dir.iterdir():
        _tighten(entry)
        if entry.is_dir() and entry.name in PRIVATE_SUBDIRS:
            for inner in entry.rglob("*"):
                _tighten(inner)


def _tighten(path: Path) -> None:
    try:
        if path.is_symlink():
            return
        os.chmod(path, 0o700 if path.is_dir() else 0o600)
    except OSError:
        pass  # not ours (e.g. a mounted folder): leave it


def _storage_secret(data_dir: Path) -> str:
    """Use STORAGE_SECRET, or generate one once and keep it in DATA_DIR."""
    value = os.environ.get("STORAGE_SECRET", "").strip()
    if value:
        return value
    path = data_dir / "storage_secret"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(value)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    load_dotenv(".env", override=False)
    data_dir = Path(os.environ.get("DATA_DIR", "./data")).resolve()
    make_private(data_dir)
    port = _int("PORT", 8080)
    return Settings(
        data_dir=data_dir,
        database_url=os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{data_dir / 'chungthuc.db'}",
        base_url=os.environ.get("BASE_URL", "").strip().rstrip("/") or f"http://localhost:{port}",
        host=os.environ.get("HOST", "0.0.0.0"),
        port=port,
        storage_secret=_storage_secret(data_dir),
        demo=_bool("DEMO", False),
        smtp_host=os.environ.get("SMTP_HOST", ""),
        smtp_port=_int("SMTP_PORT", 25),
        smtp_user=os.environ.get("SMTP_USER", ""),
        smtp_password=os.environ.get("SMTP_PASSWORD", ""),
        smtp_from=os.environ.get("SMTP_FROM", "chungthuc@localhost"),
        smtp_starttls=_bool("SMTP_STARTTLS", False),
        sms_adapter=os.environ.get("SMS_ADAPTER", "outbox"),
        sms_url=os.environ.get("SMS_URL", ""),
        sms_token=os.environ.get("SMS_TOKEN", ""),
        sms_timeout=float(os.environ.get("SMS_TIMEOUT", "5") or 5),
        tsa_url=os.environ.get("TSA_URL", ""),
        trust_roots=tuple(p for p in os.environ.get("TRUST_ROOTS", "").split(",") if p.strip()),
        max_scan_mb=_int("MAX_SCAN_MB", 20),
        max_scan_pages=_int("MAX_SCAN_PAGES", 1000),
        session_hours=_int("SESSION_HOURS", 12),
        idle_minutes=_int("IDLE_MINUTES", 30),
        citizen_idle_minutes=_int("CITIZEN_IDLE_MINUTES", 30),
        backup_dir=os.environ.get("BACKUP_DIR", ""),
        log_level=os.environ.get("LOG_LEVEL", "WARNING").strip() or "WARNING",
        log_format=os.environ.get("LOG_FORMAT", "plain").strip().lower() or "plain",
        backup_keep=_int("BACKUP_KEEP", 14),
        pki_dir=os.environ.get("PKI_DIR", "").strip(),
        pki_url=os.environ.get("PKI_URL", "").strip().rstrip("/")
        or f"http://127.0.0.1:{_int('PKI_PORT', 8079)}",
        renew_days=_int("RENEW_DAYS", 365),
        signing_workers=_int("SIGNING_WORKERS", 1),
        db_busy_seconds=_int("DB_BUSY_TIMEOUT", 30),
        seal_wait_seconds=_int("SEAL_WAIT_SECONDS", 300),
    )


def reload_settings() -> Settings:
    get_settings.cache_clear()
    return get_settings()
