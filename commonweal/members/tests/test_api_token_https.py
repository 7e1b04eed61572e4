"""Scripts with a personal API token can write over HTTPS, where browsers need CSRF proof."""

import pytest
from django.test import Client
from django.urls import reverse

from commonweal.members.services import api_token_create

pytestmark = pytest.mark.django_db


def test_a_token_client_can_write_over_https_without_a_referer(make_member):
    member = make_member(full_name="Ana Costa")
    _token, key = api_token_create(member=member, name="script", scope="write")

    response = Client(enforce_csrf_checks=True).patch(
        "/api/members/me",
        {"full_name": "Ana Maria Costa"},
        content_type="application/json",
        secure=True,
        HTTP_AUTHORIZATION=f"Token {key}",
    )

    assert response.status_code == 200
    member.refresh_from_db()
    assert member.full_name == "Ana Maria Costa"


def test_a_browser_session_still_needs_csrf_proof_over_https(make_member):
    member = make_member(full_name="Ana Costa")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)

    response = browser.patch(
        "/api/members/me", {"full_name": "Forged"}, content_type="application/json", secure=True
    )

    assert response.status_code == 403
    member.refresh_from_db()
    assert member.full_name == "Ana Costa"


def test_last_use_is_kept_to_the_nearest_five_minutes_and_shown(client, make_member):
    from datetime import timedelta

    from commonweal.core import clock
    from commonweal.members.models import ApiToken

    member = make_member()
    token, key = api_token_create(member=member, name="script", scope="write")
    start = clock.now()
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}

    with clock.frozen(start):
        client.get("/api/members/me", **auth)
    with clock.frozen(start + timedelta(minutes=4)):
        client.get("/api/members/me", **auth)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == start

    with clock.frozen(start + timedelta(minutes=6)):
        client.get("/api/members/me", **auth)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == start + timedelta(minutes=6)

    client.force_login(member)
    assert "last used" in client.get(reverse("members:tokens")).content.decode()
