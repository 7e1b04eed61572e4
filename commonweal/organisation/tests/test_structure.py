"""Changing the structure: units, bodies, who belongs and who holds office, by those the
rulebook empowers, each recorded and announced, each refusal clear."""

import hashlib
from datetime import timedelta

import pytest

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.members.models import Member
from commonweal.notifications.models import Event
from commonweal.organisation import selectors, services
from commonweal.organisation.models import Body, BodyMembership, Mandate, Unit
from commonweal.record.models import Entry
from commonweal.voting import services as voting

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(org, make_officer):
    return make_officer(body=org.leadership, unit=org.leeds, full_name="Nia National")


@pytest.fixture
def regional(org, make_officer):
    return make_officer(org.north, unit=org.york, full_name="Rhys Regional")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_a_national_officer_creates_a_region_and_its_officers_hear(org, national, regional):
    wales = services.unit_create(
        name="Wales", kind=Unit.Kind.REGION, parent=org.nation, created_by=national
    )
    assert Unit.objects.get_parent(wales) == org.nation
    assert selectors.assembly_of(wales).name == "Wales assembly"
    entry = Entry.objects.get(kind="unit.created", subject__endswith=f":{wales.pk}")
    assert entry.payload == {"kind": "region", "parent": org.nation.pk}
    assert national.pk in Event.objects.get(kind="unit.created").member_ids


def test_a_branch_officer_cannot_create_a_region(org, make_officer):
    branch_officer = make_officer(org.leeds)
    with pytest.raises(NotPermitted, match="change the structure"):
        services.unit_create(
            name="Wales", kind=Unit.Kind.REGION, parent=org.nation, created_by=branch_officer
        )
    with pytest.raises(NotPermitted):
        services.unit_create(
            name="Headingley", kind=Unit.Kind.BRANCH, parent=org.north, created_by=branch_officer
        )
    assert not Unit.objects.filter(name__in=["Wales", "Headingley"]).exists()


def test_a_regional_officer_works_within_their_region_only(org, regional, set_rule):
    harrogate = services.unit_create(
        name="Harrogate", kind=Unit.Kind.BRANCH, parent=org.north, created_by=regional
    )
    with pytest.raises(NotPermitted):
        services.unit_create(
            name="Hove", kind=Unit.Kind.BRANCH, parent=org.south, created_by=regional
        )
    with pytest.raises(NotPermitted):
        services.unit_rename(unit=org.brighton, name="Brighton and Hove", renamed_by=regional)
    with pytest.raises(NotPermitted, match="change the structure"):
        services.unit_rename(unit=org.north, name="The North", renamed_by=regional)
    services.unit_rename(unit=harrogate, name="Harrogate and Knaresborough", renamed_by=regional)
    # Where the rulebook keeps structure to national officers, the region's officers lose it.
    set_rule("structure.changed_by", "national_officers")
    with pytest.raises(NotPermitted):
        services.unit_rename(unit=harrogate, name="Harrogate", renamed_by=regional)


def test_units_are_refused_where_the_tree_has_no_place_for_them(org, national):
    with pytest.raises(Refused, match="no units below") as refusal:
        services.unit_create(name="X", kind=Unit.Kind.BRANCH, parent=org.leeds, created_by=national)
    assert refusal.value.field == "parent"
    with pytest.raises(Refused, match="top of the tree"):
        services.unit_create(
            name="X", kind=Unit.Kind.NATIONAL, parent=org.north, created_by=national
        )


def test_renaming_keeps_the_address_and_records_only_hashes(org, national, make_member):
    make_member(unit=org.leeds)
    services.unit_rename(unit=org.leeds, name="Leeds Central", renamed_by=national)
    org.leeds.refresh_from_db()
    assert (org.leeds.name, org.leeds.slug) == ("Leeds Central", "leeds")
    assert selectors.assembly_of(org.leeds).name == "Leeds Central assembly"
    entry = Entry.objects.get(kind="unit.renamed")
    assert entry.payload == {"old_name_sha256": sha("Leeds"), "name_sha256": sha("Leeds Central")}
    assert "Leeds Central" not in str(entry.payload)
    with pytest.raises(Refused, match="already its name"):
        services.unit_rename(unit=org.leeds, name="Leeds Central", renamed_by=national)


def test_closing_a_branch_moves_its_members_and_keeps_its_history(
    org, national, make_member, make_officer
):
    from commonweal.members.services import member_apply

    leeds_chair = make_officer(org.leeds)
    stays = make_member(unit=org.leeds)
    services.body_membership_add(body=selectors.assembly_of(org.leeds), member=stays)
    application = member_apply(
        email="new@example.org", full_name="Nell New", unit=org.leeds, password="a long password!"
    )
    book_club = services.body_create(
        name="Leeds book group", kind=Body.Kind.DEPARTMENT, unit=org.leeds, created_by=national
    )
    with pytest.raises(Refused, match="Choose the unit") as refusal:
        services.unit_close(unit=org.leeds, members_to=None, closed_by=national)
    assert refusal.value.field == "members_to"
    with pytest.raises(Refused, match="another branch"):
        services.unit_close(unit=org.leeds, members_to=org.north, closed_by=national)

    services.unit_close(unit=org.leeds, members_to=org.york, closed_by=national)

    org.leeds.refresh_from_db()
    assert org.leeds.closed_on is not None
    assert set(Member.objects.filter(unit=org.york)) >= {stays, leeds_chair}
    application.refresh_from_db()
    assert application.unit == application.applicant.unit == org.york
    york_assembly = selectors.assembly_of(org.york)
    assert york_assembly.memberships.filter(member=stays, until=None).exists()
    leeds_assembly = selectors.assembly_of(org.leeds)
    # History stays: the old memberships are ended, not deleted.
    assert leeds_assembly.memberships.filter(member=stays).exclude(until=None).exists()
    book_club.refresh_from_db()
    assert book_club.closed_on is not None
    assert leeds_chair.pk not in selectors.officer_ids_of_body(leeds_assembly)
    entry = Entry.objects.get(kind="unit.closed")
    assert entry.payload["members_to"] == org.york.pk
    assert entry.payload["members_moved"] == 4  # the chair, the member, the applicant, Nia
    told = [e.member_ids for e in Event.objects.filter(kind="unit.closed")]
    assert any(stays.pk in ids for ids in told)
    with pytest.raises(Conflict, match="already closed"):
        services.unit_close(unit=org.leeds, members_to=org.york, closed_by=national)


def test_a_unit_with_an_open_vote_does_not_close(org, national, make_officer):
    chair = make_officer(org.leeds)
    vote = voting.vote_create(
        title="Branch budget",
        body=selectors.assembly_of(org.leeds),
        method="majority",
        candidates=["Yes", "No"],
        closes_at=clock.now() + timedelta(days=3),
        created_by=chair,
    )
    with pytest.raises(Conflict, match="vote is open or being prepared"):
        services.unit_close(unit=org.leeds, members_to=org.york, closed_by=national)
    org.leeds.refresh_from_db()
    assert org.leeds.closed_on is None
    assert vote.body.memberships.filter(member=chair, until=None).exists()


def test_a_unit_with_open_units_below_does_not_close(org, national):
    with pytest.raises(Refused, match="units below it first"):
        services.unit_close(unit=org.north, members_to=org.south, closed_by=national)


def test_merging_carries_the_bodies_on_in_the_other_unit(org, national, make_member):
    section = services.body_create(
        name="York housing", kind=Body.Kind.POLICY_SECTION, unit=org.york, created_by=national
    )
    member = make_member(unit=org.york)
    services.body_membership_add(body=section, member=member, added_by=national)
    services.unit_merge(unit=org.york, into=org.leeds, merged_by=national)
    section.refresh_from_db()
    assert (section.unit, section.closed_on) == (org.leeds, None)
    assert section.memberships.filter(member=member, until=None).exists()
    assert Entry.objects.get(kind="unit.merged").payload["bodies_moved"] == [section.pk]


def test_bodies_are_created_and_closed_by_those_empowered(org, national, regional):
    with pytest.raises(NotPermitted):
        services.body_create(
            name="Southern women", kind=Body.Kind.DEPARTMENT, unit=org.south, created_by=regional
        )
    dept = services.body_create(
        name="Northern women", kind=Body.Kind.DEPARTMENT, unit=org.north, created_by=regional
    )
    with pytest.raises(Refused, match="assembly closes only with its unit"):
        services.body_close(body=selectors.assembly_of(org.york), closed_by=national)
    services.body_close(body=dept, closed_by=regional)
    assert Entry.objects.filter(kind="body.closed", subject__endswith=f":{dept.pk}").exists()
    with pytest.raises(Conflict, match="already closed"):
        services.body_close(body=dept, closed_by=regional)


def test_body_members_are_added_and_removed_but_not_the_last_chair(org, national, make_member):
    chair = make_member(unit=org.leeds)
    member = make_member(unit=org.leeds)
    services.body_membership_add(body=org.transport, member=chair, role="chair")
    with pytest.raises(Refused, match="election or appointment"):
        services.body_membership_add(
            body=org.transport, member=member, role="chair", added_by=national
        )
    membership = services.body_membership_add(body=org.transport, member=member, added_by=national)
    assert Event.objects.get(kind="body.member_added").member_ids == [member.pk]
    services.body_membership_end(membership=membership, ended_by=national)
    chair_membership = BodyMembership.objects.get(body=org.transport, member=chair)
    with pytest.raises(Refused, match="only chair") as refusal:
        services.body_membership_end(membership=chair_membership, ended_by=national)
    assert refusal.value.field == "member"
    assert Entry.objects.get(kind="body.member_removed").payload == {"member": member.pk}


def test_a_mandate_holder_is_not_removed_before_the_mandate_ends(org, national, make_member):
    holder = make_member(unit=org.leeds)
    services.mandate_grant(body=org.transport, holder=holder, office="Treasurer")
    membership = BodyMembership.objects.get(body=org.transport, member=holder)
    with pytest.raises(Refused, match="end their mandate first"):
        services.body_membership_end(membership=membership, ended_by=national)


def test_co_option_and_interim_appointments_follow_the_rulebook(
    org, national, regional, make_member, set_rule
):
    york_member = make_member(unit=org.york)
    brighton_member = make_member(unit=org.brighton)
    assembly = selectors.assembly_of(org.york)
    interim = services.mandate_appoint(
        body=assembly,
        holder=york_member,
        office="Secretary",
        granted_as="interim",
        reason="The secretary moved abroad.",
        appointed_by=regional,
    )
    assert (interim.granted_as, interim.grant_reason) == ("interim", "The secretary moved abroad.")
    assert (interim.ends_on - interim.starts_on).days < 190  # six months, not a full term
    entry = Entry.objects.get(kind="mandate.granted", subject__endswith=f":{interim.pk}")
    assert entry.payload["as"] == "interim"
    assert entry.payload["reason_sha256"] == sha("The secretary moved abroad.")
    assert "abroad" not in str(entry.payload)
    assert york_member.pk in selectors.officer_ids_of_body(assembly)

    with pytest.raises(Conflict, match="held until"):
        services.mandate_appoint(
            body=assembly,
            holder=make_member(unit=org.york),
            office="secretary",
            granted_as="co_option",
            reason="Another one.",
            appointed_by=regional,
        )
    with pytest.raises(Refused, match="within North") as refusal:
        services.mandate_appoint(
            body=selectors.assembly_of(org.north),
            holder=brighton_member,
            office="Treasurer",
            granted_as="co_option",
            reason="Good with money.",
            appointed_by=national,
        )
    assert refusal.value.field == "holder"
    with pytest.raises(Refused, match="Say why"):
        services.mandate_appoint(
            body=assembly,
            holder=york_member,
            office="Treasurer",
            granted_as="co_option",
            reason="  ",
            appointed_by=regional,
        )
    with pytest.raises(NotPermitted):
        services.mandate_appoint(
            body=selectors.assembly_of(org.brighton),
            holder=brighton_member,
            office="Treasurer",
            granted_as="co_option",
            reason="Good with money.",
            appointed_by=regional,
        )
    set_rule("offices.appointments", [])
    with pytest.raises(Refused, match="does not allow") as refusal:
        services.mandate_appoint(
            body=assembly,
            holder=york_member,
            office="Treasurer",
            granted_as="co_option",
            reason="Good with money.",
            appointed_by=regional,
        )
    assert refusal.value.field == "granted_as"


def test_ending_a_mandate_early_records_the_reason_as_a_hash(org, regional, make_member):
    holder = make_member(unit=org.york)
    assembly = selectors.assembly_of(org.york)
    mandate = services.mandate_appoint(
        body=assembly,
        holder=holder,
        office="Chair",
        granted_as="co_option",
        reason="Nobody stood.",
        appointed_by=regional,
    )
    services.mandate_end(mandate=mandate, reason="Resigned.", ended_by=regional)
    mandate.refresh_from_db()
    assert mandate.ended_reason == "Resigned."
    entry = Entry.objects.get(kind="mandate.ended")
    assert entry.payload == {"reason_sha256": sha("Resigned.")}
    assert Event.objects.get(kind="mandate.ended").member_ids == [holder.pk]
    assert not Mandate.objects.filter(pk=mandate.pk, ended_early_on=None).exists()
    assert BodyMembership.objects.get(body=assembly, member=holder).role == "member"
