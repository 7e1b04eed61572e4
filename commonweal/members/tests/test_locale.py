"""Dates and numbers follow the locale the member chose, whatever the browser says."""

import datetime

import pytest
from django.urls import reverse

from commonweal.core.errors import Refused
from commonweal.members import services
from commonweal.organisation.services import mandate_grant

pytestmark = pytest.mark.django_db

# A 24-month term (the default rulebook) begun on 2 March 2025 ends on 1 March 2027.
STARTS = datetime.date(2025, 3, 2)


@pytest.mark.parametrize(
    ("locale", "written"),
    [
        ("en", "until March 1, 2027"),
        ("en-gb", "until 1 Mar 2027"),
        ("de", "until 1. März 2027"),
        ("fr", "until 1 mars 2027"),
    ],
)
def test_home_writes_dates_in_the_members_locale(client, org, make_officer, locale, written):
    member = make_officer(body=org.transport)
    mandate_grant(body=org.transport, holder=member, office="Delegate", starts_on=STARTS)
    services.profile_update(member=member, locale=locale)
    client.force_login(member)

    page = client.get(reverse("members:home"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    assert written in page


def test_anonymous_visitors_keep_their_browsers_language(client, org):
    response = client.get(reverse("members:join"), HTTP_ACCEPT_LANGUAGE="de")

    assert response["Content-Language"] == "de"


def test_profile_form_saves_the_locale_and_refuses_an_unknown_one(client, org, make_member):
    member = make_member()
    client.force_login(member)
    form = {"full_name": member.full_name, "visibility": member.visibility, "locale": "en-gb"}

    client.post(reverse("members:profile"), form)
    member.refresh_from_db()
    assert member.locale == "en-gb"

    response = client.post(reverse("members:profile"), {**form, "locale": "xx"})
    member.refresh_from_db()
    assert member.locale == "en-gb"
    assert "Select a valid choice" in response.content.decode()


def test_service_and_api_refuse_a_locale_not_offered(client, org, make_member):
    member = make_member()
    with pytest.raises(Refused):
        services.profile_update(member=member, locale="klingon")
    member.refresh_from_db()
    assert member.locale == "en"

    client.force_login(member)
    response = client.patch("/api/members/me", {"locale": "de"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["locale"] == "de"
