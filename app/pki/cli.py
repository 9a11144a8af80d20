"""`python main.py pki-services`: the demo PKI's CRL, OCSP and TSA services on PKI_URL's port."""
from __future__ import annotations

import logging
import socket
from urllib.parse import urlsplit

from app.settings import get_settings
from app.signing.resolve import demo_pki

from .services import serve_forever, start_services


def pki_services_command() -> int:
    pki = demo_pki()
    url = urlsplit(pki.url_prefix)
    print(f"Dịch vụ PKI demo (CRL, OCSP, TSA): {pki.url_prefix}  — cấu hình: {pki.config_path}")
    serve_forever(pki, url.hostname or "127.0.0.1", url.port or 80)
    return 0


def start_in_process_if_demo() -> None:
    """Demo mode: serve the demo PKI inside this process unless something already answers there."""
    settings = get_settings()
    if not settings.demo:
        return
    pki = demo_pki()
    url = urlsplit(pki.url_prefix)
    with socket.socket() as probe:
        probe.settimeout(0.3)
        if probe.connect_ex((url.hostname or "127.0.0.1", url.port or 80)) == 0:
            return  # `main.py pki-services` (or an earlier server) already serves it
    start_services(pki, url.hostname or "127.0.0.1", url.port or 80)
    logging.getLogger(__name__).info("demo PKI services on %s", pki.url_prefix)
