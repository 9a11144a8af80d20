"""Ports: what the domain needs from the outside world (adapters live in app/)."""
from __future__ import annotations

from typing import Protocol


class SmsGateway(Protocol):
    """Sends one SMS. Returns on acceptance by the gateway; raises any Exception on failure
    (the delivery loop records the error and retries)."""

    def send(self, phone: str, text: str) -> None: ...
