"""Fixtures for outside organisations: officers at three levels, a holder, a plain member,
and the policy process's fixtures (for organisations that take part in it)."""

import pytest
from django.test import Client

from commonweal.alliances import services
from commonweal.organisation.selectors import assembly_of
from commonweal.organisation.services import body_membership_add
from commonweal.policy.tests.conftest import (  # noqa: F401 - fixtures used here
    author,
    chair,
    circulating,
    client_of,
    consulting,
    contributions,
    drafting,
    launched,
    no_two_factor,
    propose,
    set_rules,
    threshold,
)


@pytest.fixture
def people(org, make_member, make_officer):
    class People:
        pass

    p = People()
    p.leeds_officer = make_officer(org.leeds, full_name="Lee Officer")
    p.north_officer = make_officer(org.north, unit=org.york, full_name="Nor Officer")
    p.national_officer = make_officer(org.nation, unit=org.york, full_name="Nat Officer")
    p.brighton_officer = make_officer(org.brighton, full_name="Bri Officer")
    p.holder = make_member(unit=org.leeds, full_name="Hol Holder")
    p.member = make_member(unit=org.leeds, full_name="Mem Member")
    p.york_member = make_member(unit=org.york, full_name="Yor Member")
    p.brighton_member = make_member(unit=org.brighton, full_name="Bri Member")
    body_membership_add(body=assembly_of(org.leeds), member=p.member)
    return p


@pytest.fixture
def bus_campaign(org, people):
    """The Leeds branch's cooperation with a local campaign, with a holder and a contact."""
    organisation = services.organisation_create(
        actor=people.leeds_officer,
        unit=org.leeds,
        name="Leeds Bus Users' Campaign",
        kind="campaign",
        country="GB",
        language="en",
        website="https://bususers.example",
        status="cooperation",
    )
    relationship = organisation.relationships.get()
    services.relationship_holder_add(
        actor=people.leeds_officer, relationship=relationship, member=people.holder
    )
    services.contact_person_add(
        actor=people.holder,
        relationship=relationship,
        name="Carla Contact",
        role="Secretary",
        email="carla@bususers.example",
        phone="0113 496 0000",
        consent_to="to be emailed about joint bus campaigns",
        consent_on=organisation.created_at.date(),
    )
    return organisation


@pytest.fixture
def partner_abroad(org, people):
    """The national unit's formal alliance with a movement in Germany."""
    return services.organisation_create(
        actor=people.national_officer,
        unit=org.nation,
        name="Bündnis Verkehrswende",
        kind="movement",
        country="de",
        language="de",
        status="alliance",
    )


@pytest.fixture
def signed_in(no_two_factor):  # noqa: F811 - the imported fixture, asked for
    def client(member):
        c = Client()
        c.force_login(member)
        return c

    return client


@pytest.fixture
def statement_rule(db):
    """Bring into force a rulebook whose `alliances.statement_needs_vote` is as given."""
    import copy

    from commonweal.rulebook.selectors import current
    from commonweal.rulebook.services import rulebook_bring_into_force, rulebook_stage

    def apply(needs_vote: bool):
        rules = copy.deepcopy(current().rules)
        rules.setdefault("alliances", {})["statement_needs_vote"] = needs_vote
        return rulebook_bring_into_force(version=rulebook_stage(rules=rules, staged_by=None))

    return apply


@pytest.fixture
def national_voters(org, make_member):
    """Two members of the national assembly, besides its chair (the national officer)."""
    voters = [make_member(unit=org.york) for _ in range(2)]
    for voter in voters:
        body_membership_add(body=assembly_of(org.nation), member=voter)
    return voters
