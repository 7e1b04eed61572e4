"""Recording outside organisations, relationships, contact people and what we did together."""

from datetime import timedelta

import pytest

from commonweal.alliances import selectors, services
from commonweal.alliances.models import (
    Activity,
    ContactPerson,
    OutsideOrganisation,
    Relationship,
    StatusChange,
)
from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.record.models import Entry

pytestmark = pytest.mark.django_db


def _state():
    return (
        OutsideOrganisation.objects.count(),
        Relationship.objects.count(),
        ContactPerson.objects.count(),
        Activity.objects.count(),
        StatusChange.objects.count(),
        Entry.objects.count(),
    )


def test_an_officer_records_an_organisation_with_its_relationship_and_history(org, people):
    organisation = services.organisation_create(
        actor=people.leeds_officer,
        unit=org.leeds,
        name="  Unite Leeds  ",
        kind="union",
        country="gb",
        status="contact",
    )
    assert organisation.name == "Unite Leeds"
    assert organisation.country == "GB"
    assert not organisation.abroad
    relationship = organisation.relationships.get()
    assert (relationship.unit, relationship.status) == (org.leeds, "contact")
    services.relationship_change(
        actor=people.north_officer, relationship=relationship, status="cooperation", note="Strike"
    )
    history = [(c.status, c.note) for c in relationship.changes.order_by("changed_at", "id")]
    assert history == [("contact", ""), ("cooperation", "Strike")]
    kinds = set(Entry.objects.values_list("kind", flat=True))
    assert {"alliances.organisation_recorded", "alliances.relationship_changed"} <= kinds


def test_a_plain_member_and_another_branchs_officer_may_not_record_for_leeds(org, people):
    before = _state()
    for actor in (people.member, people.brighton_officer):
        with pytest.raises(NotPermitted):
            services.organisation_create(
                actor=actor, unit=org.leeds, name="X", kind="union", country="GB"
            )
    assert _state() == before


def test_bad_facts_are_refused_together_and_nothing_is_recorded(org, people):
    before = _state()
    with pytest.raises(Refused) as refused:
        services.organisation_create(
            actor=people.leeds_officer,
            unit=org.leeds,
            name="",
            kind="sect",
            country="Britain",
            language="English!",
            website="javascript:alert(1)",
        )
    fields = [r.field for r in refused.value.every]
    assert fields == ["name", "kind", "country", "language", "website"]
    assert _state() == before


def test_the_same_name_twice_is_a_conflict_whatever_its_case(org, people, bus_campaign):
    before = _state()
    with pytest.raises(Conflict, match="already recorded"):
        services.organisation_create(
            actor=people.national_officer,
            unit=org.nation,
            name="LEEDS BUS USERS' CAMPAIGN",
            kind="campaign",
            country="GB",
        )
    assert _state() == before


def test_a_contact_person_without_recorded_consent_is_refused(org, people, bus_campaign):
    relationship = bus_campaign.relationships.get()
    before = _state()
    with pytest.raises(Refused) as refused:
        services.contact_person_add(
            actor=people.holder,
            relationship=relationship,
            name="Dan Nobody",
            email="dan@example.org",
            consent_to="",
            consent_on=None,
        )
    messages = {r.field: r.message for r in refused.value.every}
    assert "without their consent" in messages["consent_to"]
    assert messages["consent_on"] == "Give the date they consented."
    tomorrow = clock.now().date() + timedelta(days=1)
    with pytest.raises(Refused, match="cannot be in the future"):
        services.contact_person_add(
            actor=people.holder,
            relationship=relationship,
            name="Dan Nobody",
            consent_to="to be phoned",
            consent_on=tomorrow,
        )
    assert _state() == before


def test_contact_details_only_to_holders_and_officers_of_the_unit_or_above(
    org, people, bus_campaign
):
    relationship = bus_campaign.relationships.get()
    for who, sees in [
        (people.holder, True),
        (people.leeds_officer, True),
        (people.north_officer, True),
        (people.national_officer, True),
        (people.member, False),
        (people.brighton_officer, False),
        (people.york_member, False),
    ]:
        page = selectors.organisation_page(bus_campaign, who)
        shown = [view.details for view in page["relationships"]]
        if who in (people.brighton_officer, people.york_member):
            assert shown == [], who.full_name  # another branch sees no Leeds relationship
        else:
            assert shown == [sees], who.full_name
    assert people.member.has_perm("alliances.view_relationship", relationship)
    assert not people.member.has_perm("alliances.view_contact_details", relationship)


def test_a_contact_person_is_erased_on_request_and_can_first_have_their_data(
    org, people, bus_campaign
):
    person = ContactPerson.objects.get()
    exported = selectors.contact_person_export(person)
    assert exported["email"] == "carla@bususers.example"
    assert exported["consented_to"] == "to be emailed about joint bus campaigns"
    with pytest.raises(NotPermitted):
        services.contact_person_erase(actor=people.member, person=person)
    services.contact_person_erase(actor=people.holder, person=person)
    person.refresh_from_db()
    assert (person.name, person.email, person.phone, person.role, person.consent_to) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert person.erased_at is not None
    assert person.consent_on is not None
    assert (
        selectors.organisation_page(bus_campaign, people.holder)["relationships"][0].contact_people
        == []
    )
    with pytest.raises(Conflict):
        services.contact_person_erase(actor=people.holder, person=person)


def test_holders_record_contacts_and_joint_actions_but_not_in_the_future(org, people, bus_campaign):
    relationship = bus_campaign.relationships.get()
    today = clock.now().date()
    services.activity_record(
        actor=people.holder,
        relationship=relationship,
        kind="joint_action",
        on=today,
        summary="Leafleted the 42 bus stop together.",
    )
    before = _state()
    with pytest.raises(Refused) as refused:
        services.activity_record(
            actor=people.holder,
            relationship=relationship,
            kind="party",
            on=today + timedelta(days=2),
            summary=" ",
        )
    assert [r.field for r in refused.value.every] == ["kind", "on", "summary"]
    with pytest.raises(NotPermitted):
        services.activity_record(
            actor=people.member, relationship=relationship, kind="contact", on=today, summary="Hi"
        )
    assert _state() == before


def test_a_holder_must_be_a_member_within_the_unit(org, people, bus_campaign):
    relationship = bus_campaign.relationships.get()
    with pytest.raises(Refused, match="Only a member of Leeds"):
        services.relationship_holder_add(
            actor=people.national_officer, relationship=relationship, member=people.york_member
        )
    assert list(relationship.holders.all()) == [people.holder]


def test_filters_by_unit_subtree_status_and_country(org, people, bus_campaign, partner_abroad):
    services.relationship_start(
        actor=people.brighton_officer,
        organisation=partner_abroad,
        unit=org.brighton,
        status="contact",
    )
    search = selectors.organisations_search
    national = people.national_officer
    assert list(search(national, country="de")) == [partner_abroad]
    assert list(search(national, unit=org.north)) == [bus_campaign]
    assert list(search(national, status="alliance")) == [partner_abroad]
    assert list(search(national, unit=org.south, status="contact")) == [partner_abroad]
    # A Leeds member does not see Brighton's relationship, so cannot find it by it.
    assert list(search(people.member, unit=org.south)) == []
    assert list(search(people.member, q="bus")) == [bus_campaign]
    rows = {row["country"]: row for row in selectors.country_overview(national)}
    assert rows["DE"]["organisations"] == 1
    assert rows["DE"]["alliance"] == 1
    assert rows["DE"]["contact"] == 1
    assert rows["GB"]["cooperation"] == 1
    mine = {row["country"]: row for row in selectors.country_overview(people.member)}
    assert mine["DE"]["alliance"] == 1
    assert mine["DE"]["contact"] == 0
