"""Lists of members name exactly those whose profile page the viewer may open."""

import pytest
from django.contrib.auth.models import AnonymousUser

from commonweal.members.models import Member
from commonweal.members.selectors import profiles_visible_to
from commonweal.organisation import services
from commonweal.organisation.models import BodyMembership

pytestmark = pytest.mark.django_db

Visibility = Member.Visibility


def test_the_list_filter_agrees_with_the_profile_page_for_every_viewer_and_member(
    org, make_member, make_officer
):
    people = [
        make_member(unit=unit, visibility=choice, full_name=f"{unit.name} {choice.value}")
        for unit in (org.leeds, org.york, org.brighton)
        for choice in Visibility
    ]
    for person in people[1::3]:
        services.body_membership_add(body=org.transport, member=person)
    people += [
        make_member(unit=org.leeds, status=Member.Status.SUSPENDED),
        make_member(unit=org.leeds, status=Member.Status.APPLICANT),
        make_member(unit=org.leeds, visibility=Visibility.ORGANISATION, is_active=False),
        make_member(unit=None, status=Member.Status.EXTERNAL),
        make_officer(org.leeds),
        make_officer(org.north, visibility=Visibility.OFFICERS),
        make_officer(body=org.transport, role=BodyMembership.Role.SECRETARY),
        make_member(unit=org.york, is_superuser=True),
    ]
    for viewer in [AnonymousUser(), *people]:
        listed = set(Member.objects.filter(profiles_visible_to(viewer)))
        may_open = {m for m in people if viewer.has_perm("members.view_profile", m)}
        assert listed == may_open, f"{viewer}"


def test_a_body_membership_list_filters_through_its_member(org, make_member):
    viewer = make_member(unit=org.leeds)
    shown = make_member(unit=org.leeds)
    hidden = make_member(unit=org.leeds, visibility=Visibility.OFFICERS)
    for person in (viewer, shown, hidden):
        services.body_membership_add(body=org.transport, member=person)
    memberships = BodyMembership.objects.filter(
        profiles_visible_to(viewer, via="member__"), body=org.transport
    )
    assert {m.member for m in memberships} == {viewer, shown}
