"""Domain errors raised by services; the web layer turns each into a clear page or message."""

from __future__ import annotations

from typing import Any


class DrafterError(Exception):
    """A rule of the negotiation was not met; ``message`` is written for the user."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DrafterError):
    """The input cannot be used as given (empty, too long, malformed)."""


class StateError(DrafterError):
    """The object is not in a state that allows this (circulated, past the deadline ...)."""

    status_code = 409


class DeadlinePassed(StateError):
    """The deadline for proposals on the revision has passed."""


class NotAllowed(DrafterError):
    """The user's role does not allow this."""

    status_code = 403


class EditConflict(DrafterError):
    """Someone else changed the object since the user loaded it."""

    status_code = 409

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.details = details
