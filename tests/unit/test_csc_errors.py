"""Provider answers (CSC: OAuth-style JSON errors, codes differ between CAs) become one kind each, with
the Vietnamese text the signer sees."""
import pytest

from app.signing.csc_errors import MESSAGES, RemoteSigningError, classify


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (400, {"error": "invalid_pin", "error_description": "The PIN is invalid"}, "wrong_pin"),
        (400, {"error": "invalid_request", "error_description": "Invalid OTP"}, "wrong_pin"),
        (400, {"error": "invalid_request", "error_description": "SAD expired"}, "expired"),
        (
            400,
            {"error": "access_denied", "error_description": "The user cancelled the authorization"},
            "cancelled",
        ),
        (400, {"error": "invalid_request", "error_description": "The credential is disabled"}, "disabled"),
        (401, {"error": "invalid_token"}, "unauthorized"),
        (503, None, "unreachable"),
        (500, None, "rejected"),
    ],
)
def test_provider_errors_are_classified(status, body, kind):
    assert classify(status, body) == kind


def test_every_kind_has_a_vietnamese_message_and_unknown_kinds_are_a_refusal():
    assert all(text and text[0].isupper() for text in MESSAGES.values())
    assert RemoteSigningError("something-new").message == MESSAGES["rejected"]
