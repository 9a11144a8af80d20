"""Logging, configured once at start-up: the level from LOG_LEVEL (default WARNING), one line per record,
plain text or JSON (LOG_FORMAT=json, for a log collector)."""
from __future__ import annotations

import json
import logging
import secrets
import sys
from datetime import UTC, datetime

_configured = False


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        at = datetime.fromtimestamp(record.created, UTC)
        entry = {"time": at.isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str = "WARNING", fmt: str = "plain") -> None:
    """Root handler on stderr; a second call does nothing (the CLI and the server share one process), nor
    does a call where logging is configured already (a test runner's capture, a host's setup)."""
    global _configured
    if _configured or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else
                         logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(getattr(logging, level.upper(), logging.WARNING))
    _configured = True


def new_request_id() -> str:
    """A short id shown to the user with an unexpected error and written next to it in the log."""
    return secrets.token_hex(4)
