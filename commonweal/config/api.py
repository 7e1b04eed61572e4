"""The REST API root: every app contributes a router; one auth for all."""

import importlib

from ninja import NinjaAPI
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


api = NinjaAPI(
    title="Commonweal API",
    version="1",
    description="Members, units, bodies and the democratic processes of the organisation.",
    auth=[TokenAuth(), SessionAuth()],
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
