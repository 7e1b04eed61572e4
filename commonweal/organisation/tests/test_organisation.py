import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.organisation import selectors, services
from commonweal.organisation.models import Body, Referral, Unit

pytestmark = pytest.mark.django_db


def test_every_unit_gets_its_assembly(org):
    for unit in Unit.objects.all():
        assert selectors.assembly_of(unit) is not None


def test_subtree_and_scope_counts_follow_the_tree(org, make_member):
    make_member(unit=org.leeds)
    make_member(unit=org.york)
    make_member(unit=org.brighton)
    assert set(selectors.unit_subtree(org.north)) == {org.north, org.leeds, org.york}
    assert selectors.member_count_in_scope(org.north) == 2
    assert selectors.member_count_in_scope(org.nation) == 3
    assert list(selectors.unit_ancestors_and_self(org.leeds)) == [org.nation, org.north, org.leeds]


def test_subtree_query_count_does_not_grow_with_the_tree(org, django_assert_num_queries):
    for i in range(30):
        services.unit_create(name=f"Extra {i}", kind=Unit.Kind.BRANCH, parent=org.south)
    with django_assert_num_queries(1):
        assert len(list(selectors.unit_subtree(org.south))) == 32


def test_unit_with_unknown_kind_or_no_name_is_refused(org):
    with pytest.raises(Refused, match="kind"):
        services.unit_create(name="X", kind="planet", parent=org.nation)
    with pytest.raises(Refused, match="name"):
        services.unit_create(name="<b></b>", kind=Unit.Kind.BRANCH, parent=org.nation)


def test_mandate_term_comes_from_the_rulebook(org, make_member):
    holder = make_member(unit=org.leeds)
    with clock.frozen(clock.now().replace(year=2026, month=3, day=15)):
        mandate = services.mandate_grant(
            body=org.transport, holder=holder, office="Chair", starts_on=date(2026, 3, 15)
        )
    assert mandate.ends_on == date(2028, 3, 14)
    assert mandate.rulebook_version == 1
    assert org.transport.pk in selectors.officer_body_ids(holder)


def test_mandate_is_granted_only_by_national_leadership(org, make_member, make_officer):
    branch_officer = make_officer(org.leeds)
    holder = make_member(unit=org.leeds)
    with pytest.raises(NotPermitted):
        services.mandate_grant(
            body=org.transport, holder=holder, office="Chair", granted_by=branch_officer
        )


def test_ending_a_mandate_early_needs_a_reason_and_keeps_history(org, make_member):
    holder = make_member(unit=org.leeds)
    mandate = services.mandate_grant(body=org.transport, holder=holder, office="Secretary")
    with pytest.raises(Refused):
        services.mandate_end(mandate=mandate, reason=" ")
    services.mandate_end(mandate=mandate, reason="Resigned to care for family")
    assert org.transport.pk not in selectors.officer_body_ids(holder)
    with pytest.raises(Conflict):
        services.mandate_end(mandate=mandate, reason="again")


def test_referral_goes_up_down_or_sideways(org, make_officer):
    leeds_assembly = selectors.assembly_of(org.leeds)
    chair = make_officer(body=org.transport, unit=org.leeds)
    sideways = services.referral_create(
        from_body=org.transport,
        to_body=org.leadership,
        title="Budget",
        text="Fund leaflets",
        referred_by=chair,
    )
    down = services.referral_create(
        from_body=org.transport,
        to_body=leeds_assembly,
        title="Discuss",
        text="Discuss bus routes",
        referred_by=chair,
    )
    leeds_chair = make_officer(org.leeds)
    up = services.referral_create(
        from_body=leeds_assembly,
        to_body=org.transport,
        title="Our view",
        text="Buses first",
        referred_by=leeds_chair,
    )
    assert (sideways.direction, down.direction, up.direction) == ("sideways", "down", "up")
    assert Referral.objects.count() == 3


def test_only_officers_of_the_body_may_refer_or_answer(org, make_member, make_officer):
    member = make_member(unit=org.leeds)
    with pytest.raises(NotPermitted):
        services.referral_create(
            from_body=org.transport, to_body=org.leadership, title="x", text="y", referred_by=member
        )
    chair = make_officer(body=org.transport, unit=org.leeds)
    referral = services.referral_create(
        from_body=org.transport, to_body=org.leadership, title="x", text="y", referred_by=chair
    )
    with pytest.raises(NotPermitted):
        services.referral_answer(referral=referral, response="no", answered_by=chair)
    national = make_officer(body=org.leadership, unit=org.york)
    services.referral_answer(referral=referral, response="Agreed", answered_by=national)
    with pytest.raises(Conflict):
        services.referral_answer(referral=referral, response="again", answered_by=national)


def test_officer_of_one_branch_cannot_manage_another_branch(org, make_officer):
    leeds_officer = make_officer(org.leeds)
    york_assembly = selectors.assembly_of(org.york)
    leeds_assembly = selectors.assembly_of(org.leeds)
    assert leeds_officer.has_perm("organisation.manage_body", leeds_assembly)
    assert not leeds_officer.has_perm("organisation.manage_body", york_assembly)


def test_regional_officer_manages_branches_below_but_not_other_regions(org, make_officer):
    regional = make_officer(org.north, unit=org.leeds)
    assert regional.has_perm("organisation.manage_body", selectors.assembly_of(org.york))
    assert not regional.has_perm("organisation.manage_body", selectors.assembly_of(org.brighton))


def test_suspended_member_loses_officer_powers(org, make_officer):
    officer = make_officer(org.leeds)
    officer.status = "suspended"
    officer.save()
    assert not officer.has_perm("organisation.manage_body", selectors.assembly_of(org.leeds))


def test_adding_someone_twice_to_a_body_is_refused(org, make_member):
    member = make_member(unit=org.leeds)
    services.body_membership_add(body=org.transport, member=member)
    with pytest.raises(Conflict, match="already belongs"):
        services.body_membership_add(body=org.transport, member=member)
    assert Body.objects.get(pk=org.transport.pk).memberships.count() == 1


def test_body_page_shows_a_missing_accountability_report(client, org, make_member):
    holder = make_member(unit=org.leeds, full_name="Rosa Quinn")
    start = clock.now().date().replace(day=1) - timedelta(days=200)
    services.mandate_grant(body=org.transport, holder=holder, office="Chair", starts_on=start)
    viewer = make_member(unit=org.york)
    client.force_login(viewer)
    page = client.get(reverse("organisation:body", args=[org.transport.slug])).content.decode()
    assert "Missing accountability reports" in page
    assert "Rosa Quinn" in page


def test_body_page_shows_no_missing_report_for_a_new_mandate(client, org, make_member):
    holder = make_member(unit=org.leeds)
    services.mandate_grant(body=org.transport, holder=holder, office="Chair")
    client.force_login(make_member(unit=org.york))
    page = client.get(reverse("organisation:body", args=[org.transport.slug])).content.decode()
    assert "Missing accountability reports" not in page


def test_a_large_body_lists_officers_first_and_pages_through_its_members(
    client, org, make_member, make_officer
):
    make_officer(body=org.transport, full_name="Chair Person")
    members = [make_member(unit=org.leeds, full_name=f"Member No{n:02d}") for n in range(55)]
    for member in members:
        services.body_membership_add(body=org.transport, member=member)
    client.force_login(members[0])
    url = reverse("organisation:body", args=[org.transport.slug])

    first = client.get(url).content.decode()
    more = re.search(r'href="\?after=(\d+)" rel="next">More members', first)
    assert more, "a link to the next members"
    second = client.get(url + f"?after={more.group(1)}").content.decode()

    assert "Chair Person" in first
    assert "55 members" in first
    assert members[0].full_name in first
    assert members[54].full_name not in first
    assert members[54].full_name in second
    assert members[0].full_name not in second


@pytest.mark.parametrize(
    ("starts", "months", "ends"),
    [
        (date(2026, 3, 15), 24, date(2028, 3, 14)),
        (date(2026, 1, 1), 12, date(2026, 12, 31)),
        (date(2026, 1, 31), 1, date(2026, 2, 27)),
        (date(2027, 11, 30), 3, date(2028, 2, 28)),
    ],
)
def test_a_term_ends_the_day_before_its_anniversary(starts, months, ends):
    assert services.term_end(starts, months) == ends
