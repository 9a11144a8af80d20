"""What the citizen's phone shows for an outbox row (the secret opened from its sealed box)."""
from __future__ import annotations

from pathlib import Path


def sms_text(message, data_dir: Path | None = None) -> str:
    """The delivered text; `data_dir` is a live server's DATA_DIR (its outbox key) when not this process's."""
    from domain.sms import SECRET, text_to_send

    if data_dir is not None and SECRET in message.body:
        from cryptography.fernet import Fernet

        key = (Path(data_dir) / "outbox.key").read_bytes().strip()
        text = message.body.replace(SECRET, Fernet(key).decrypt(message.secret_box.encode()).decode())
    else:
        text = text_to_send(message)
    assert text is not None, f"SMS #{message.id}: its secret is gone"
    return text
