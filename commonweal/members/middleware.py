"""Office-holders sign in with two factors when the rulebook requires it."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from .selectors import must_set_up_two_factor

ALLOWED_PREFIXES = ("/accounts/", "/static/", "/media/", "/admin/logout/")


class TwoFactorForOfficeHolders:
    """Send an office-holder without two-factor to set it up before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and must_set_up_two_factor(user)
        ):
            return redirect(reverse("mfa_activate_totp") + "?required=1")
        return self.get_response(request)


class MemberLocale:
    """Show dates and numbers in the locale the member chose, not the browser's guess.

    Runs after authentication; anonymous visitors keep what LocaleMiddleware negotiated.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        locale = getattr(user, "locale", "") if user is not None and user.is_authenticated else ""
        if locale and locale in dict(settings.LANGUAGES):
            translation.activate(locale)
            request.LANGUAGE_CODE = locale
        return self.get_response(request)
