"""ASVS 2.1.1 and 3.3.2: passwords of at least 12 characters; a session lasts 12 hours."""

import pytest
from django.conf import settings
from django.urls import reverse

from commonweal.members.models import Member
from commonweal.members.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_password_shorter_than_twelve_characters_is_refused_and_nothing_is_stored(client, org):
    response = client.post(
        reverse("members:join"),
        {
            "full_name": "Ana",
            "email": "ana@example.org",
            "unit": org.leeds.pk,
            "password": "kx7-Rq2w9z",
        },
    )
    assert "at least 12 characters" in response.content.decode()
    assert not Member.objects.filter(email="ana@example.org").exists()


def test_signing_in_gives_a_session_of_twelve_hours_not_two_weeks(client, org, make_member):
    member = make_member(unit=org.leeds)
    response = client.post(
        "/accounts/login/", {"login": member.email, "password": PASSWORD, "remember": "on"}
    )
    assert response.status_code == 302
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    assert client.session.get_expiry_age() <= 12 * 60 * 60
    assert int(response.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) <= 12 * 60 * 60
