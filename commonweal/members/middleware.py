"""Office-holders and administrators sign in with two factors when the rulebook requires
it, and a member with an authenticator has a session only once this session passed it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .selectors import has_authenticator, needs_two_factor, passed_two_factor

ALLOWED_PREFIXES = ("/accounts/", "/static/", "/media/", "/admin/logout/")


class TwoFactorForOfficeHolders:
    """Hold every session to the second factor its member has or must have.

    A session of a member with an authenticator whose sign-in did not pass it (Django's
    admin login, any login that is not allauth's) is ended on its first request, which
    then goes on signed out: pages send it to sign in, the API answers 401. An office-holder
    or administrator without an authenticator is sent to set one up before anything else.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(("/static/", "/media/"))
        ):
            passed = passed_two_factor(request, user)
            if not passed and has_authenticator(user):
                logout(request)
                messages.info(request, _("Sign in again with your authenticator's code."))
            elif (
                not request.path.startswith(ALLOWED_PREFIXES)
                and needs_two_factor(user)
                and (not passed or not has_authenticator(user))
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
