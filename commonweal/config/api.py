"""The REST API root: every app contributes a router; one auth for all.

The OpenAPI document tells the truth about errors too (schemathesis checks every answer
against it in `config/tests/test_api_fuzz.py`): each app declares the refusals its
operations give, and `Document` adds the answers the API gives whatever the operation.
"""

import importlib

from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.security import APIKeyHeader
from ninja.security import SessionAuth as NinjaSessionAuth

from commonweal.core.errors import Refused
from commonweal.core.ratelimit import RateLimited
from commonweal.members.selectors import api_token_holder

from .api_errors import Error, ValidationErrors

UNSAFE = {"post", "put", "patch", "delete"}


class TokenAuth(APIKeyHeader):
    """`Authorization: Token <key>` with a personal API token (`api_token_holders`).

    An unknown, revoked or expired token is no credential (401); a read token asked to
    write, or the token of an office-holder without the two factors the rulebook requires,
    is refused with the reason (403).
    """

    param_name = "Authorization"

    def authenticate(self, request, key):
        if not key or not key.startswith("Token "):
            return None
        holder = api_token_holder(
            key.removeprefix("Token ").strip(), write=request.method.lower() in UNSAFE
        )
        if holder is None:
            return None
        if holder.refusal:
            raise HttpError(403, holder.refusal)
        request.user = holder.member
        return holder.member


class SessionAuth(NinjaSessionAuth):
    """The signed-in browser's session; without one, a 401 like any missing credential.

    ninja checks the CSRF token before it looks for a session, which made a POST with no
    credentials at all a CSRF failure (403) where a GET was unauthorised (401). With no
    session there is nothing to forge, so there is nothing to check.
    """

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


def has_nul(data) -> bool:
    """Whether any string (key or value) in parsed input holds the NUL character."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class TextParser(Parser):
    """JSON as ninja reads it, refusing the NUL character anywhere in it.

    PostgreSQL cannot store it in text, so it was a server error there (found by fuzzing);
    the address and query string are refused by `core.middleware.NulCharactersRefused`.
    """

    def parse_body(self, request):
        data = super().parse_body(request)
        if has_nul(data):
            raise HttpError(400, "Text may not contain the NUL character.")
        return data


class ErrorAnswer(Schema):
    response: Error


class ValidationAnswer(Schema):
    response: ValidationErrors


class Document(OpenAPISchema):
    """ninja's OpenAPI document, with the answers any operation can give added to each.

    401 where a credential is needed; 422 where ninja validates parameters or a body;
    400 for a NUL character, refused by `TextParser` in a body and by
    `core.middleware.NulCharactersRefused` in the address or query string of any
    operation; 403 where a signed-in browser's unsafe request fails the CSRF check, a read
    token is asked to write, or an office-holder's token is refused until they set up two
    factors. A 429 says in `Retry-After` when to try again.
    """

    def operation_details(self, operation):
        details = super().operation_details(operation)
        answers = details["responses"]

        def add(status: int, description: str, media_type: str, schema: dict) -> None:
            answer = answers.setdefault(status, {"description": description})
            answer.setdefault("content", {}).setdefault(media_type, {"schema": schema})

        error = self._create_schema_from_model(ErrorAnswer, mode="serialization")[0]
        if details.get("security"):
            add(401, "No valid credential", "application/json", error)
            add(403, "Refused", "application/json", error)
        if details["parameters"] or details.get("requestBody"):
            invalid = self._create_schema_from_model(ValidationAnswer, mode="serialization")[0]
            add(422, "Invalid parameters or body", "application/json", invalid)
        add(400, "Refused", "application/json", error)
        if 429 in answers:
            answers[429]["headers"] = {
                "Retry-After": {
                    "description": "Seconds until the limit's window ends",
                    "required": True,
                    "schema": {"type": "string", "pattern": "^[0-9]+$"},
                }
            }
        return details


API_DESCRIPTION = """Members, units, bodies and the democratic processes of the organisation.

**Authentication.** Send `Authorization: Token <key>` with a personal API token, made on
your tokens page (Profile → API tokens), or use the signed-in browser's session (unsafe
methods then need the CSRF token).

- A token has a **scope**: *read only* tokens may use GET only; any POST, PUT, PATCH or
  DELETE with one is refused with 403 and a JSON `detail` saying so. *Read and write*
  tokens may do whatever their member may.
- A token **expires** on the date shown on the tokens page (at most a year after it was
  made); after that, and once revoked, it gets 401.
- Changing your password, being suspended, leaving and erasure **revoke** every token.
- Office-holders and administrators who must use two-factor authentication (the rulebook
  says so) get 403 with any token until they have set up an authenticator app on the site.
"""


class CommonwealAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return Document(self, path_prefix)


api = CommonwealAPI(
    title="Commonweal API",
    version="1",
    description=API_DESCRIPTION,
    auth=[TokenAuth(), SessionAuth()],
    parser=TextParser(),
    urls_namespace="api",
)


@api.exception_handler(Refused)
def refused(request, exc: Refused):
    response = api.create_response(
        request, {"detail": exc.message, "field": exc.field}, status=exc.status
    )
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc: PermissionDenied):
    """Django's refusal (e.g. allauth's when it cannot tell the client's address) as JSON."""
    return api.create_response(request, {"detail": str(exc) or "Not allowed."}, status=403)


ROUTERS = [
    ("/members/", "commonweal.members.api"),
    ("/organisation/", "commonweal.organisation.api"),
    ("/policy/", "commonweal.policy.api"),
    ("/meetings/", "commonweal.meetings.api"),
    ("/votes/", "commonweal.voting.api"),
    ("/decisions/", "commonweal.decisions.api"),
    ("/constitution/", "commonweal.constitution.api"),
    ("/discussion/", "commonweal.discussion.api"),
    ("/notifications/", "commonweal.notifications.api"),
    ("/news/", "commonweal.news.api"),
    ("/library/", "commonweal.library.api"),
    ("/training/", "commonweal.training.api"),
    ("/interventions/", "commonweal.interventions.api"),
    ("/alliances/", "commonweal.alliances.api"),
    ("/development/", "commonweal.development.api"),
    ("/search", "commonweal.search.api"),
    ("/mobilisation/", "commonweal.mobilisation.api"),
    ("/insights/", "commonweal.insights.api"),
]

for prefix, module in ROUTERS:
    api.add_router(prefix, importlib.import_module(module).router)
