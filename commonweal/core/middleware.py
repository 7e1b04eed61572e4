"""Security headers Django does not set itself: Content-Security-Policy, Permissions-Policy.

The policy allows scripts only from our own origin (no inline script, no eval), so
markup that slips into a page cannot run. It is `settings.CONTENT_SECURITY_POLICY`, a
mapping of directive to sources; see docs/deployment.md for why style allows inline.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse


def header_value(policy: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


class SecurityHeadersMiddleware:
    """Adds the policies to every response unless the view set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.headers = {
            "Content-Security-Policy": header_value(settings.CONTENT_SECURITY_POLICY),
            "Permissions-Policy": settings.PERMISSIONS_POLICY,
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for name, value in self.headers.items():
            if value:
                response.headers.setdefault(name, value)
        return response


class NulCharactersRefused:
    """A NUL character in the address or the query string is a 400, before any view.

    PostgreSQL cannot hold NUL in text, so one in a slug, a secret or a search reached the
    database as a server error (found by fuzzing). Forms refuse it themselves; JSON bodies
    are refused by the API's parser. Under /api/ the refusal is JSON like every API error.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.GET
        if "\x00" in request.path_info or any(
            "\x00" in key or any("\x00" in value for value in query.getlist(key)) for key in query
        ):
            message = "The address may not contain the NUL character."
            if request.path_info.startswith("/api/"):
                # The API answers every refusal in its own shape (docs/interfaces.md).
                return JsonResponse({"detail": message, "field": None}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain")
        return self.get_response(request)
