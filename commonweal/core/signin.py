"""Sending visitors to sign in, and back to where they were afterwards."""

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Django's `login_required`, except where a signed-out visitor's form comes back to.

    Most forms post to an address that only takes POST (`…/support/`, `…/close/`): after
    signing in, Django's `next` would lead there and answer 405. A form posted after the
    session ran out instead returns to the page it was posted from (the same-site Referer),
    or to the home page when there is none. Nothing is written either way.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            return redirect_to_login(request.get_full_path())
        return redirect_to_login(_page_posted_from(request))

    return wrapped


def _page_posted_from(request: HttpRequest) -> str:
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return "/"


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """Django admin's own sign-in form, replaced by the site's: one way in, with its
    rate limits and the second factor, for the admin as for every other page."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("admin:index")
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")


def admin_password_change(request: HttpRequest) -> HttpResponse:
    """Django admin's password form, replaced by the site's, which is rate-limited."""
    return redirect("account_change_password")
