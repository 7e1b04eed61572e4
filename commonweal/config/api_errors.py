"""The API's error answers, so each operation can declare the ones it really gives.

Every refusal is JSON with a `detail` the member can read: a service's refusal (400, 403,
409, 429) also names the `field` it is about, if any; ninja's own answers (401, 404 and
`HttpError`) carry only the detail. An app declares its operation's refusals with
`errors()`, e.g. `response={200: ProposalOut, **errors(403, 404, 409)}`; the answers the
API gives every operation (401, 422, ...) are added in `config.api`.
"""

from ninja import Schema


class Error(Schema):
    detail: str
    field: str | None = None


class Invalid(Schema):
    type: str
    loc: list[str | int]
    msg: str


class ValidationErrors(Schema):
    """ninja's answer when a parameter or the body does not match the schema (422)."""

    detail: list[Invalid]


def errors(*codes: int) -> dict[int, type[Error]]:
    return dict.fromkeys(codes, Error)
