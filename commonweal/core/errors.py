"""Errors that services raise for a member to read.

Views turn them into form errors or messages and the API into 400/403/409
responses, so the same refusal reads the same everywhere.
"""


class Refused(Exception):
    """The action is not allowed now; the message says why, in the member's words."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotPermitted(Refused):
    status = 403


class Conflict(Refused):
    """The action clashes with the current state (already done, step not current)."""

    status = 409
