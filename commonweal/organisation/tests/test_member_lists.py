"""The unit and body pages list a member only to those who may see their profile."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonweal.members.models import Member
from commonweal.organisation import services

pytestmark = pytest.mark.django_db

Visibility = Member.Visibility


def listed(client, viewer, url: str) -> str:
    client.force_login(viewer)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def leeds(org, make_member):
    """Leeds members, one for each choice of who may see their profile."""
    return {
        choice: make_member(unit=org.leeds, full_name=f"Leeds-{choice.value}", visibility=choice)
        for choice in Visibility
    }


def unit_page(org) -> str:
    return reverse("organisation:unit", args=[org.leeds.slug])


def test_a_member_who_shows_their_profile_to_officers_only_is_not_listed_for_other_members(
    client, org, leeds, make_member
):
    page = listed(client, make_member(unit=org.leeds, full_name="Mo Member"), unit_page(org))
    assert leeds[Visibility.OFFICERS].full_name not in page
    for choice in (Visibility.UNIT, Visibility.BODIES, Visibility.ORGANISATION):
        assert leeds[choice].full_name in page
    assert "Mo Member" in page
    assert "1 member is not listed here: members choose who may see their profile." in page


@pytest.mark.parametrize("officer_of", ["leeds", "north"])
def test_the_units_officers_and_those_above_see_every_member(
    client, org, leeds, make_officer, officer_of
):
    page = listed(client, make_officer(getattr(org, officer_of)), unit_page(org))
    for member in leeds.values():
        assert member.full_name in page
    assert "not listed" not in page


def test_members_of_another_unit_see_only_those_open_to_all_members(
    client, org, leeds, make_member
):
    page = listed(client, make_member(unit=org.brighton), unit_page(org))
    assert leeds[Visibility.ORGANISATION].full_name in page
    for choice in (Visibility.UNIT, Visibility.BODIES, Visibility.OFFICERS):
        assert leeds[choice].full_name not in page
    assert "3 members are not listed here" in page


def test_a_member_who_shares_a_body_sees_those_open_to_their_bodies(
    client, org, leeds, make_member
):
    viewer = make_member(unit=org.york)
    for person in (viewer, *leeds.values()):
        services.body_membership_add(body=org.transport, member=person)
    page = listed(client, viewer, unit_page(org))
    assert leeds[Visibility.BODIES].full_name in page
    assert leeds[Visibility.UNIT].full_name not in page
    assert leeds[Visibility.OFFICERS].full_name not in page


def test_the_unit_page_queries_do_not_grow_with_its_members(client, org, make_member):
    viewer = make_member(unit=org.leeds)
    client.force_login(viewer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(unit_page(org)).status_code == 200
        return len(captured)

    for choice in Visibility:
        make_member(unit=org.leeds, visibility=choice)
    few = queries()
    for n in range(60):
        make_member(unit=org.leeds, visibility=list(Visibility)[n % 4])
    assert queries() == few


def test_a_body_lists_its_plain_members_by_their_choice_and_its_office_holders_always(
    client, org, make_member, make_officer
):
    chair = make_officer(
        body=org.transport, full_name="Chair Private", visibility=Visibility.OFFICERS
    )
    viewer = make_member(unit=org.leeds, full_name="Vi Viewer")
    private = make_member(unit=org.leeds, full_name="Pri Vate", visibility=Visibility.OFFICERS)
    bodies = make_member(unit=org.york, full_name="Bo Dies", visibility=Visibility.BODIES)
    unit_only = make_member(unit=org.york, full_name="York Only", visibility=Visibility.UNIT)
    for person in (viewer, private, bodies, unit_only):
        services.body_membership_add(body=org.transport, member=person)
    url = reverse("organisation:body", args=[org.transport.slug])

    page = listed(client, viewer, url)
    assert "Chair Private" in page  # holding office is public
    assert "Vi Viewer" in page
    assert "Bo Dies" in page  # they share the section
    assert "Pri Vate" not in page
    assert "York Only" not in page
    assert "2 members in this part of the list are not shown" in page

    page = listed(client, make_officer(org.nation), url)
    assert all(name in page for name in ("Vi Viewer", "Pri Vate", "Bo Dies", "York Only"))
    assert "not shown" not in page
    assert chair.full_name in page


def test_a_large_body_pages_through_the_members_the_viewer_may_see(
    client, org, make_member, monkeypatch
):
    """The list walks the body's index a step at a time: each page holds the next visible
    members, hidden ones are passed over and counted, and every visible member appears once."""
    from commonweal.organisation import selectors

    monkeypatch.setattr(selectors, "BODY_MEMBERS_PAGE", 3)
    monkeypatch.setattr(selectors, "BODY_MEMBERS_STEP", 2)
    viewer = make_member(unit=org.york)
    people = [
        make_member(
            unit=org.leeds,
            full_name=f"Person {n:02}",
            visibility=Visibility.OFFICERS if n % 3 == 0 else Visibility.ORGANISATION,
        )
        for n in range(12)
    ]
    for person in people:
        services.body_membership_add(body=org.transport, member=person)
    url = reverse("organisation:body", args=[org.transport.slug])
    client.force_login(viewer)
    seen, hidden, after = [], 0, ""
    for _page in range(10):
        page = client.get(url + after).content.decode()
        seen += [p.full_name for p in people if p.full_name in page]
        hidden += sum(int(n) for n in re.findall(r"(\d+) members? in this part of the list", page))
        more = re.search(r'href="\?after=(\d+)" rel="next"', page)
        if not more:
            break
        after = f"?after={more.group(1)}"
    visible = [p.full_name for p in people if p.visibility != Visibility.OFFICERS]
    assert seen == visible
    assert hidden == 4
