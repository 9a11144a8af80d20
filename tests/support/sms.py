"""What the citizen's phone shows for an outbox row (the secret opened from its sealed box)."""
from __future__ import annotations


def sms_text(message) -> str:
    from domain.sms import text_to_send

    text = text_to_send(message)
    assert text is not None, f"SMS #{message.id}: its secret is gone"
    return text
