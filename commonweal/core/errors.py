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
        # Refusals of a form's other fields found in the same check (`Refusals`).
        self.also: list[Refused] = []

    @property
    def every(self) -> list["Refused"]:
        """This refusal and those found with it, in the order they were found."""
        return [self, *self.also]


class Refusals:
    """Collects a service's checks of a form's fields, so a member sees every problem in
    one round rather than one per submission:

        found = Refusals()
        with found:
            title = _check_title(title)
        if closes_at <= now:
            found.add(Refused(..., field="closes_at"))
        found.raise_any()   # the first refusal, carrying the others in `also`
    """

    def __init__(self) -> None:
        self.found: list[Refused] = []

    def add(self, refusal: Refused) -> None:
        self.found.append(refusal)

    def __enter__(self) -> "Refusals":
        return self

    def __exit__(self, kind: type | None, error: BaseException | None, _tb: object) -> bool:
        if isinstance(error, Refused):
            self.found.append(error)
            return True
        return False

    def raise_any(self) -> None:
        if self.found:
            first, *rest = self.found
            first.also = [*first.also, *rest]
            raise first


class NotPermitted(Refused):
    status = 403


class Conflict(Refused):
    """The action clashes with the current state (already done, step not current)."""

    status = 409
