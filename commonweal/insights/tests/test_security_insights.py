"""A unit's and a body's figures are seen by its members and the officers over it; another
branch's officer, a suspended member, an external participant and a token of someone who
may not see them get a 404, on the page, its CSV and the API alike."""

import pytest
from django.test import Client
from django.urls import reverse

from commonweal.members import services as members
from commonweal.members.models import Member

pytestmark = pytest.mark.django_db


def answers(member, org) -> set[int]:
    client = Client()
    client.force_login(member)
    codes = {
        client.get(reverse("insights:unit", args=[org.leeds.slug])).status_code,
        client.get(reverse("insights:unit_csv", args=[org.leeds.slug])).status_code,
        client.get(reverse("insights:body", args=[org.transport.pk])).status_code,
    }
    if member.status == Member.Status.MEMBER:
        _token, key = members.api_token_create(member=member, name="t", scope="read")
        token = Client(headers={"Authorization": f"Token {key}"})
        codes.add(token.get(f"/api/insights/units/{org.leeds.slug}").status_code)
    return codes


def test_outsiders_get_a_404_everywhere(org, make_member, make_officer):
    suspended = make_member(unit=org.leeds, status=Member.Status.SUSPENDED)
    external = make_member(unit=None, status=Member.Status.EXTERNAL)
    for outsider in (make_officer(org.brighton), make_officer(org.south), suspended, external):
        assert answers(outsider, org) == {404}, outsider


def test_the_officers_over_it_see_it(org, make_officer, client):
    assert answers(make_officer(org.nation), org) == {200}
    client.force_login(make_officer(org.north))
    assert client.get(reverse("insights:unit", args=[org.leeds.slug])).status_code == 200


def test_a_token_is_no_session_on_the_pages(org, make_member):
    leeds = make_member(unit=org.leeds)
    _token, key = members.api_token_create(member=leeds, name="t", scope="read")
    page = Client(headers={"Authorization": f"Token {key}"}).get(
        reverse("insights:unit", args=[org.leeds.slug])
    )
    assert page.status_code == 302
