"""The demo remote-signing (CSC) service's constants, in one place for the product and the demo server
(app/pki/csc_server.py): its PIN, client ID and secret file, its address, its credential IDs."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from .demo_pki import ARCH, write_atomic

DEMO_PIN = "123456"  # the demo CSC service's PIN for every demo key
DEMO_CLIENT_ID = "chungthuc-demo"


def credential_id(key_id: str) -> str:
    """The demo service names a key by the demo PKI's certificate label."""
    return f"{ARCH}/ee-{key_id}"


def demo_csc_enabled() -> bool:
    """DEMO_CSC=1 (``make run``): demo keys are used through the demo CSC service, not as files."""
    return os.environ.get("DEMO_CSC", "0").strip().lower() in ("1", "true", "yes")


def demo_csc_url() -> str:
    return os.environ.get("CSC_DEMO_URL", "").strip().rstrip("/") or \
        f"http://127.0.0.1:{os.environ.get('CSC_DEMO_PORT', '8077')}"


def demo_client_secret_file(pki) -> Path:
    """The demo service's client secret, made once in the demo PKI folder (never in the repo)."""
    path = Path(pki.dir) / "csc_client_secret"
    if not path.exists():
        write_atomic(path, secrets.token_urlsafe(18).encode(), mode=0o600)
    return path


def demo_csc_config(pki, key_id: str) -> dict:
    """A demo key used through the demo CSC service (DEMO_CSC=1)."""
    return {"kind": "csc", "service_url": demo_csc_url(), "credential_id": credential_id(key_id),
            "client_id": DEMO_CLIENT_ID, "client_secret_file": str(demo_client_secret_file(pki))}
