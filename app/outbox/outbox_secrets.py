"""The outbox's SecretBox: Fernet (AES-128-CBC + HMAC) with a key in DATA_DIR/outbox.key (0600).

The key is never in the database and never in a backup, so neither carries a readable OTP or
temporary password; several instances sharing DATA_DIR share the key. Losing the key only makes
the messages still waiting unsendable (they fail as expired)."""
from __future__ import annotations

import os
import threading
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from app.settings import get_settings
from domain.sms import use_secret_box

KEY_NAME = "outbox.key"
_lock = threading.Lock()
_keys: dict[Path, Fernet] = {}


def _fernet() -> Fernet:
    """OUTBOX_KEY (a Fernet key, e.g. for instances that do not share DATA_DIR), else DATA_DIR/outbox.key."""
    return operator_fernet("OUTBOX_KEY", KEY_NAME)


def operator_fernet(env_name: str, file_name: str) -> Fernet:
    """A Fernet key the server operator holds: `env_name`, else DATA_DIR/`file_name` (made once, 0600)."""
    configured = os.environ.get(env_name, "").strip()
    path = get_settings().data_dir / file_name
    slot = Path(f"env:{configured}") if configured else path
    with _lock:
        if slot not in _keys:
            _keys[slot] = Fernet(configured.encode() if configured else _read_or_create(path))
        return _keys[slot]


def _read_or_create(path: Path) -> bytes:
    """Create the key once, atomically (written in full, then linked: another instance never reads half)."""
    if path.exists():
        return path.read_bytes().strip()
    tmp = path.with_name(f".tmp-{path.name}-{os.getpid()}-{threading.get_ident()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(Fernet.generate_key())
        f.flush()
        os.fsync(f.fileno())
    try:
        os.link(tmp, path)  # fails when another process was first; then its key is the key
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_bytes().strip()


class FernetBox:
    def seal(self, secret: str) -> str:
        return _fernet().encrypt(secret.encode()).decode("ascii")

    def open(self, sealed: str) -> str | None:
        try:
            return _fernet().decrypt(sealed.encode("ascii")).decode()
        except (InvalidToken, ValueError):
            return None


use_secret_box(FernetBox())
