"""Who sees and changes outside organisations, attacked from each side: another branch's
officer, a suspended member, an external participant, API tokens; contact people's details
shown only to those holding the relationship and the officers of its unit and above."""

import pytest
from django.test import Client

from commonweal.alliances.models import (
    Activity,
    ContactPerson,
    JointStatement,
    OutsideOrganisation,
    Relationship,
)
from commonweal.members import services as members
from commonweal.members.models import Member

pytestmark = pytest.mark.django_db

EMAIL = "carla@bususers.example"


def _fingerprint():
    return (
        list(OutsideOrganisation.objects.values_list("name", "country", "website")),
        list(Relationship.objects.values_list("status", flat=True)),
        list(ContactPerson.objects.values_list("name", "email", "erased_at")),
        Activity.objects.count(),
        JointStatement.objects.count(),
    )


def _token(member, scope="write"):
    key = members.api_token_create(member=member, name="t", scope=scope)[1]
    return Client(headers={"Authorization": f"Token {key}"})


@pytest.fixture
def suspended(org, people, make_member):
    member = make_member(unit=org.leeds, full_name="Sus Pended")
    return members.member_suspend(member=member, officer=people.leeds_officer, reason="Abuse.")


@pytest.fixture
def external(make_member):
    return make_member(unit=None, status=Member.Status.EXTERNAL, full_name="Ex Ternal")


def _pages(organisation):
    relationship = organisation.relationships.get()
    person = ContactPerson.objects.get()
    return {
        "detail": organisation.get_absolute_url(),
        "contact_add": f"/alliances/relationships/{relationship.pk}/contacts/",
        "activity_add": f"/alliances/relationships/{relationship.pk}/activities/",
        "statement_draft": f"/alliances/relationships/{relationship.pk}/statements/",
        "erase": f"/alliances/contacts/{person.pk}/erase/",
        "export": f"/alliances/contacts/{person.pk}/export/",
    }


def test_another_branchs_officer_sees_only_the_public_facts_and_changes_nothing(
    org, people, bus_campaign, signed_in
):
    client = signed_in(people.brighton_officer)
    pages = _pages(bus_campaign)
    html = client.get(pages["detail"]).content.decode()
    assert "Leeds Bus Users" in html  # the public facts
    assert "Carla Contact" not in html
    assert EMAIL not in html
    assert "Hol Holder" not in html
    for name in ("contact_add", "activity_add", "statement_draft", "erase", "export"):
        assert client.get(pages[name]).status_code == 404, name
    relationship = bus_campaign.relationships.get()
    before = _fingerprint()
    for url, data in [
        (f"/alliances/relationships/{relationship.pk}/status/", {"status": "ended"}),
        (pages["contact_add"], {"name": "X", "consent_to": "y", "consent_on": "2020-01-01"}),
        (pages["erase"], {"confirm": "1"}),
        (
            f"/alliances/{bus_campaign.pk}/edit/",
            {"name": "Hijacked", "kind": "union", "country": "GB"},
        ),
    ]:
        assert client.post(url, data).status_code == 404, url
    api = _token(people.brighton_officer)
    detail = api.get(f"/api/alliances/organisations/{bus_campaign.pk}").json()
    assert detail["name"] == "Leeds Bus Users' Campaign"
    assert detail["relationships"] == []
    assert (
        api.post(
            f"/api/alliances/relationships/{relationship.pk}/status",
            {"status": "ended"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        api.post(f"/api/alliances/contacts/{ContactPerson.objects.get().pk}/erase").status_code
        == 404
    )
    assert _fingerprint() == before


def test_contact_details_are_hidden_from_a_plain_member_of_the_branch(
    org, people, bus_campaign, signed_in
):
    pages = _pages(bus_campaign)
    html = signed_in(people.member).get(pages["detail"]).content.decode()
    assert "Carla Contact" in html
    assert EMAIL not in html
    assert "0113 496 0000" not in html
    assert signed_in(people.member).get(pages["export"]).status_code == 404
    api = _token(people.member).get(f"/api/alliances/organisations/{bus_campaign.pk}").json()
    (person,) = api["relationships"][0]["contact_people"]
    assert person["email"] is None
    assert person["phone"] is None
    for who in (people.holder, people.leeds_officer, people.north_officer):
        assert EMAIL in signed_in(who).get(pages["detail"]).content.decode(), who.full_name
        shown = _token(who).get(f"/api/alliances/organisations/{bus_campaign.pk}").json()
        assert shown["relationships"][0]["contact_people"][0]["email"] == EMAIL
        assert signed_in(who).get(pages["export"]).json()["email"] == EMAIL


def test_a_suspended_member_and_an_external_participant_see_nothing(
    org, people, bus_campaign, suspended, external, signed_in
):
    pages = _pages(bus_campaign)
    for who in (suspended, external):
        client = signed_in(who)
        for url in (
            "/alliances/",
            "/alliances/countries/",
            "/alliances/statements/",
            pages["detail"],
        ):
            assert client.get(url).status_code == 404, (who.full_name, url)
    # A suspended member's tokens were revoked; an external participant's token sees nothing.
    api = _token(external)
    assert api.get("/api/alliances/organisations").status_code == 404
    assert api.get(f"/api/alliances/organisations/{bus_campaign.pk}").status_code == 404


def test_a_read_token_cannot_write_and_a_refused_write_changes_nothing(org, people, bus_campaign):
    before = _fingerprint()
    read = _token(people.leeds_officer, scope="read")
    answer = read.post(
        "/api/alliances/organisations",
        {"name": "New", "kind": "union", "country": "GB", "unit_id": org.leeds.pk},
        content_type="application/json",
    )
    assert answer.status_code == 403
    write = _token(people.leeds_officer)
    refused = write.post(
        f"/api/alliances/relationships/{bus_campaign.relationships.get().pk}/contacts",
        {"name": "No Consent", "email": "nc@example.org"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "consent" in refused.json()["detail"]
    assert _fingerprint() == before


def test_the_policy_invitees_page_shows_nothing_of_the_alliance(
    org, people, consulting, chair, run_worker
):
    """An outside group invited to comment on a draft reads the draft by its link, and no
    more: not the relationship we hold with it nor its contact people."""
    import re

    from django.core import mail

    from commonweal.alliances import services
    from commonweal.policy import services as policy

    ally = services.organisation_create(
        actor=people.leeds_officer,
        unit=org.leeds,
        name="Better Buses",
        kind="campaign",
        country="GB",
        status="alliance",
    )
    services.contact_person_add(
        actor=people.leeds_officer,
        relationship=ally.relationships.get(),
        name="Secret Person",
        email="secret@bb.example",
        consent_to="to be emailed",
        consent_on=ally.created_at.date(),
    )
    policy.external_invite(
        proposal=consulting, by=chair, name="Better Buses", email="bb@bb.example"
    )
    run_worker()
    (email,) = [m for m in mail.outbox if m.to == ["bb@bb.example"]]
    link = re.search(r"(/policy/external/[^/\s]+/)", email.body)[1]
    html = Client().get(link).content.decode()
    assert "A transport policy" in html
    assert "secret@bb.example" not in html
    assert "Secret Person" not in html
    assert "formal alliance" not in html
    assert Client().get(ally.get_absolute_url()).status_code == 302  # sign in first
