"""The one shape of a refusal the user can act on.

Every rule that says no raises a subclass of `DomainError` with the Vietnamese sentence to show in
`message`; the action runner (`app/web/actions.py`) shows it as is. Anything else is a bug: it is logged
with a request id and the user sees the calm error text instead.
"""
from __future__ import annotations


class DomainError(Exception):
    """A refusal with the Vietnamese text for the user in `message`."""

    keep: bool = False  # True: the unit of work commits what the use case did before passing it on

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def kept(error: DomainError) -> DomainError:
    """`raise kept(SignInError(...))`: refuse, but keep what was counted (a wrong code or password)."""
    error.keep = True
    return error
