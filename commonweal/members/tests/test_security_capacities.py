"""The capacities register: a tag a member keeps for officers reaches only the officers of
their unit and above, on the profile page, in the register's search and through the API."""

import pytest
from django.test import Client
from django.urls import reverse

from commonweal.members import services
from commonweal.members.models import Member

pytestmark = pytest.mark.django_db


def api(member) -> Client:
    _token, key = services.api_token_create(member=member, name="t", scope="write")
    return Client(headers={"Authorization": f"Token {key}"})


@pytest.fixture
def translator(org, make_member):
    """Visible to all members, but keeps her capacities for officers."""
    member = make_member(
        unit=org.leeds,
        full_name="Rosa Ruiz",
        visibility=Member.Visibility.ORGANISATION,
        skills=["Spanish translation"],
    )
    services.profile_update(
        member=member, capacities=["debt advice"], tags_for_officers=["capacities"]
    )
    return member


def search(client, unit, words):
    return client.get(reverse("members:register"), {"unit": unit.pk, "words": words})


def test_a_hidden_capacity_is_not_on_the_profile_another_member_sees(
    org, make_member, translator, client
):
    client.force_login(make_member(unit=org.leeds))
    page = client.get(reverse("members:detail", args=[translator.pk])).content.decode()
    assert "Spanish translation" in page
    assert "debt advice" not in page


def test_the_member_and_her_officers_see_the_hidden_capacity(org, make_officer, translator, client):
    for viewer in (translator, make_officer(org.leeds), make_officer(org.north)):
        client.force_login(viewer)
        page = client.get(reverse("members:detail", args=[translator.pk])).content.decode()
        assert "debt advice" in page, viewer


def test_another_member_cannot_search_the_register_at_all(org, make_member, translator, client):
    client.force_login(make_member(unit=org.leeds))
    assert search(client, org.leeds, "debt").status_code == 404


def test_another_branchs_officer_does_not_find_the_hidden_capacity(
    org, make_officer, translator, client
):
    client.force_login(make_officer(org.brighton))
    page = search(client, org.leeds, "debt")
    # Leeds is not among the units she may search: the form refuses the choice.
    assert "debt advice" not in page.content.decode()
    assert "Rosa Ruiz" not in page.content.decode()
    page = search(client, org.nation, "debt")
    assert "Rosa Ruiz" not in page.content.decode()


@pytest.mark.parametrize("unit_name", ["leeds", "north"])
def test_an_officer_of_her_unit_or_above_finds_her_by_the_hidden_capacity(
    org, make_officer, translator, client, unit_name
):
    unit = getattr(org, unit_name)
    client.force_login(make_officer(unit))
    page = search(client, unit, "DEBT advice").content.decode()
    assert "Rosa Ruiz" in page
    assert "debt advice" in page


def test_the_api_answers_only_within_the_officers_units(org, make_member, make_officer, translator):
    url = "/api/members/register"
    leeds = {"unit_id": org.leeds.pk, "words": "debt"}
    assert api(make_member(unit=org.leeds)).get(url, leeds).status_code == 404
    assert api(make_officer(org.brighton)).get(url, leeds).status_code == 404
    assert api(make_officer(org.york)).get(url, leeds).status_code == 404
    found = api(make_officer(org.north)).get(url, {"unit_id": org.north.pk, "words": "debt"})
    assert found.status_code == 200
    assert [m["full_name"] for m in found.json()["members"]] == ["Rosa Ruiz"]
    assert found.json()["members"][0]["capacities"] == ["debt advice"]


def test_the_api_profile_of_a_member_carries_no_tags(org, make_member, translator):
    answer = api(make_member(unit=org.leeds)).get(f"/api/members/{translator.pk}").json()
    assert "debt advice" not in str(answer)
