"""A tendency lists a member only to those who may see their profile: belonging is an opinion."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonweal.discussion import services
from commonweal.members.models import Member

pytestmark = pytest.mark.django_db

Visibility = Member.Visibility
NOT_LISTED = "{} not listed here: members choose who may see their profile."


@pytest.fixture
def tendency(org, make_member):
    """Green Left, with a Leeds member for each choice of who may see their profile."""
    founder = make_member(unit=org.leeds, full_name="Fay Founder", visibility=Visibility.UNIT)
    tendency = services.tendency_form(name="Green Left", platform="Ours", founded_by=founder)
    tendency.by_choice = {}
    for choice in Visibility:
        member = make_member(unit=org.leeds, full_name=f"Leeds-{choice.value}", visibility=choice)
        services.tendency_join(tendency=tendency, member=member)
        tendency.by_choice[choice] = member
    tendency.refresh_from_db()
    return tendency


def page(client, viewer, tendency) -> str:
    client.force_login(viewer)
    response = client.get(reverse("discussion:tendency", args=[tendency.slug]))
    assert response.status_code == 200
    return response.content.decode()


def api_names(client, viewer, tendency) -> list[str]:
    client.force_login(viewer)
    response = client.get(f"/api/discussion/tendencies/{tendency.slug}/members")
    assert response.status_code == 200
    return response.json()


def test_a_member_who_shows_their_profile_to_officers_only_is_not_listed_for_other_members(
    client, org, tendency, make_member
):
    viewer = make_member(unit=org.leeds)
    html = page(client, viewer, tendency)
    assert "Leeds-officers" not in html
    for choice in (Visibility.UNIT, Visibility.BODIES, Visibility.ORGANISATION):
        assert f"Leeds-{choice.value}" in html
    assert NOT_LISTED.format("1 member is") in html

    names = api_names(client, viewer, tendency)
    assert "Leeds-officers" not in names
    assert len(names) == tendency.member_count - 1


def test_a_member_always_sees_themselves_listed(client, tendency):
    themselves = tendency.by_choice[Visibility.OFFICERS]
    html = page(client, themselves, tendency)
    assert "Leeds-officers" in html
    assert "not listed" not in html
    assert "Leeds-officers" in api_names(client, themselves, tendency)


def test_members_of_another_unit_see_only_those_open_to_all_members(
    client, org, tendency, make_member
):
    html = page(client, make_member(unit=org.brighton), tendency)
    assert "Leeds-organisation" in html
    for hidden in ("Fay Founder", "Leeds-unit", "Leeds-bodies", "Leeds-officers"):
        assert hidden not in html
    assert NOT_LISTED.format("4 members are") in html


def test_the_units_officers_see_every_member(client, org, tendency, make_officer):
    html = page(client, make_officer(org.leeds), tendency)
    for member in tendency.by_choice.values():
        assert member.full_name in html
    assert "not listed" not in html


def test_the_page_and_the_api_take_as_many_queries_for_many_members(
    client, org, tendency, make_member
):
    viewer = make_member(unit=org.leeds)
    client.force_login(viewer)
    urls = [
        reverse("discussion:tendency", args=[tendency.slug]),
        f"/api/discussion/tendencies/{tendency.slug}/members",
    ]

    def queries() -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    few = queries()
    for i in range(20):
        member = make_member(unit=org.leeds, full_name=f"More {i}", visibility=Visibility.UNIT)
        services.tendency_join(tendency=tendency, member=member)
    many = queries()
    assert many == few
    assert "More 19" in client.get(urls[0]).content.decode()
