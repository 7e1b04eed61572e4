"""The REST API root: every app contributes a router; one auth for all."""

import importlib

from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.parser import Parser
from ninja.security import APIKeyHeader, SessionAuth

from commonweal.core.errors import Refused
from commonweal.core.ratelimit import RateLimited
from commonweal.members.selectors import member_for_api_token


class TokenAuth(APIKeyHeader):
    """`Authorization: Token <key>` with a personal API token."""

    param_name = "Authorization"

    def authenticate(self, request, key):
        if not key or not key.startswith("Token "):
            return None
        member = member_for_api_token(key.removeprefix("Token ").strip())
        if member is not None:
            request.user = member
        return member


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


api = NinjaAPI(
    title="Commonweal API",
    version="1",
    description="Members, units, bodies and the democratic processes of the organisation.",
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


ROUTERS = [
    ("/members/", "commonweal.members.api"),
    ("/organisation/", "commonweal.organisation.api"),
    ("/policy/", "commonweal.policy.api"),
    ("/meetings/", "commonweal.meetings.api"),
    ("/votes/", "commonweal.voting.api"),
    ("/decisions/", "commonweal.decisions.api"),
    ("/discussion/", "commonweal.discussion.api"),
    ("/notifications/", "commonweal.notifications.api"),
    ("/news/", "commonweal.news.api"),
    ("/library/", "commonweal.library.api"),
]

for prefix, module in ROUTERS:
    api.add_router(prefix, importlib.import_module(module).router)
