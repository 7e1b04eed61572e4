"""The REST API root: every app contributes a router; one auth for all."""

from ninja import NinjaAPI
from ninja.security import APIKeyHeader, SessionAuth

from commonweal.core.errors import Refused
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
    auth=[SessionAuth(), TokenAuth()],
    urls_namespace="api",
)


@api.exception_handler(Refused)
def refused(request, exc: Refused):
    return api.create_response(
        request, {"detail": exc.message, "field": exc.field}, status=exc.status
    )


def register_routers() -> None:
    from commonweal.members.api import router as members_router
    from commonweal.organisation.api import router as organisation_router

    api.add_router("/members/", members_router)
    api.add_router("/organisation/", organisation_router)


register_routers()
