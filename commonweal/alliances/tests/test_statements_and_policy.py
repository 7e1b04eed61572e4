"""Joint statements from draft to the public website, and organisations in the policy
process."""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import Client

from commonweal.alliances import selectors, services
from commonweal.alliances.matching import link_mentions
from commonweal.alliances.models import JointStatement, PolicyLink, StatementText
from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.decisions.models import Decision
from commonweal.organisation.selectors import assembly_of
from commonweal.policy import services as policy

pytestmark = pytest.mark.django_db

TEXTS = [
    {"language": "en", "title": "Public transport for all", "text": "We stand together."},
    {"language": "de", "title": "Öffentlicher Verkehr für alle", "text": "Wir stehen zusammen."},
]


def test_a_joint_statement_is_drafted_agreed_by_a_decision_and_published_in_both_languages(
    org, people, partner_abroad, run_worker, statement_rule
):
    statement_rule(needs_vote=False)  # the officers record the body's agreement
    relationship = partner_abroad.relationships.get()
    with pytest.raises(Refused, match="de is missing"):
        services.joint_statement_draft(
            actor=people.national_officer, relationship=relationship, texts=TEXTS[:1]
        )
    with pytest.raises(NotPermitted):
        services.joint_statement_draft(
            actor=people.leeds_officer, relationship=relationship, texts=TEXTS
        )
    assert not JointStatement.objects.exists()
    statement = services.joint_statement_draft(
        actor=people.national_officer, relationship=relationship, texts=TEXTS
    )
    with pytest.raises(Refused, match="once the competent body has agreed"):
        services.joint_statement_publish(actor=people.national_officer, statement=statement)
    with pytest.raises(Refused, match="assembly or its leadership"):
        services.joint_statement_agree(
            actor=people.national_officer, statement=statement, body=org.transport
        )
    assert not Decision.objects.exists()
    statement = services.joint_statement_agree(
        actor=people.national_officer, statement=statement, body=org.leadership
    )
    decision = Decision.objects.get()
    assert decision.body == org.leadership
    assert statement.decision == decision
    assert "Bündnis Verkehrswende" in decision.title
    with pytest.raises(Conflict):
        services.joint_statement_agree(
            actor=people.national_officer, statement=statement, body=org.leadership
        )
    anonymous = Client()
    assert anonymous.get(f"/solidarity/{statement.pk}/").status_code == 404
    services.joint_statement_publish(actor=people.national_officer, statement=statement)
    run_worker()
    page = anonymous.get(f"/solidarity/{statement.pk}/").content.decode()
    assert re.search(r'<article lang="en"[^>]*>\s*<h1[^>]*>Public transport for all', page)
    assert re.search(r'<article lang="de"[^>]*>\s*<h2[^>]*>Öffentlicher Verkehr für alle', page)
    home = anonymous.get("/").content.decode()
    assert f'href="/solidarity/{statement.pk}/" lang="en">Public transport for all' in home


def test_where_the_rulebook_wants_a_vote_the_carried_motion_authorises_publishing(
    org, people, partner_abroad, national_voters, run_worker
):
    from commonweal.meetings import services as meetings

    from .votes import carry_by_vote

    relationship = partner_abroad.relationships.get()
    statement = services.joint_statement_draft(
        actor=people.national_officer, relationship=relationship, texts=TEXTS
    )
    # The officers' own record of an agreement is refused: the body votes (the default).
    with pytest.raises(Refused, match="put the statement to one of its meetings"):
        services.joint_statement_agree(
            actor=people.national_officer, statement=statement, body=org.leadership
        )
    assert not Decision.objects.exists()
    # Only a meeting of the unit's assembly or leadership will do.
    other = meetings.meeting_schedule(
        body=assembly_of(org.leeds),
        kind="online",
        video_url="https://meet.example.org/leeds",
        title="Leeds branch meeting",
        opens_at=clock.now(),
        closes_at=clock.now() + timedelta(hours=2),
        scheduled_by=people.leeds_officer,
    )
    with pytest.raises(Refused, match="assembly or the leadership"):
        services.joint_statement_put_to_meeting(
            actor=people.national_officer, statement=statement, meeting=other
        )
    # A motion rejected by the body does not authorise anything.
    motion = carry_by_vote(
        statement,
        body=assembly_of(org.nation),
        chair=people.national_officer,
        voters=national_voters,
        answer="no",
    )
    assert motion.state == "lost"
    with pytest.raises(Refused, match="once the competent body has agreed"):
        services.joint_statement_publish(actor=people.national_officer, statement=statement)
    # Put again, and carried: publishing records the agreement from the body's decision.
    motion = carry_by_vote(
        statement,
        body=assembly_of(org.nation),
        chair=people.national_officer,
        voters=national_voters,
    )
    assert motion.state == "carried"
    statement = services.joint_statement_publish(actor=people.national_officer, statement=statement)
    decision = Decision.objects.get(vote__isnull=False)
    assert statement.status == JointStatement.Status.PUBLISHED
    assert statement.decision == decision
    assert decision.body == assembly_of(org.nation)
    assert decision.subject == f"alliances.statement:{statement.pk}"
    run_worker()
    assert Client().get(f"/solidarity/{statement.pk}/").status_code == 200


def test_the_statement_page_offers_the_bodys_meetings_and_then_publishing(
    org, people, partner_abroad, national_voters
):
    from commonweal.meetings import services as meetings
    from commonweal.meetings.models import Motion

    from .votes import vote_on

    statement = services.joint_statement_draft(
        actor=people.national_officer, relationship=partner_abroad.relationships.get(), texts=TEXTS
    )
    client = Client()
    client.force_login(people.national_officer)
    url = f"/alliances/statements/{statement.pk}/"
    page = client.get(url).content.decode()
    assert "No meeting of the assembly or leadership is scheduled yet." in page
    assert "Record the agreement" not in page
    meeting = meetings.meeting_schedule(
        body=assembly_of(org.nation),
        kind="online",
        video_url="https://meet.example.org/national",
        title="National assembly",
        opens_at=clock.now(),
        closes_at=clock.now() + timedelta(hours=2),
        scheduled_by=people.national_officer,
    )
    assert "National assembly" in client.get(url).content.decode()
    response = client.post(f"{url}put-to-meeting/", {"meeting": meeting.pk})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Motion on the agenda" in page
    assert "Publish on the public website" not in page
    statement.refresh_from_db()
    vote_on(
        Motion.objects.get(pk=statement.motion_id),
        chair=people.national_officer,
        voters=national_voters,
    )
    page = client.get(url).content.decode()
    assert "Carried by" in page
    assert "Publish on the public website" in page


def test_a_statement_needs_a_relationship_of_cooperation_or_alliance(org, people):
    organisation = services.organisation_create(
        actor=people.leeds_officer,
        unit=org.leeds,
        name="Leeds Tenants",
        kind="campaign",
        country="GB",
        status="contact",
    )
    with pytest.raises(Refused, match="cooperate or are allied"):
        services.joint_statement_draft(
            actor=people.leeds_officer,
            relationship=organisation.relationships.get(),
            texts=TEXTS[:1],
        )
    assert not StatementText.objects.exists()


def test_an_ally_that_is_also_consulted_in_the_policy_process_shows_both_on_its_page(
    org, people, consulting, chair, signed_in
):
    """The same organisation: the Leeds branch's formal ally, invited to comment on a
    draft, consulted by York, and (by its name, before it was recorded) the proposal's
    prompt. Names that match no organisation keep their text and link nothing."""
    york = consulting.circulations.get(unit=org.york)
    assert york.contributions.filter(kind="outside", outside_who="York Bus Users").exists()
    consulting.prompted_by = " better buses CAMPAIGN "
    consulting.save(update_fields=["prompted_by"])
    ally = services.organisation_create(
        actor=people.leeds_officer,
        unit=org.leeds,
        name="Better Buses Campaign",
        kind="campaign",
        country="GB",
        status="alliance",
    )
    assert [link.proposal for link in PolicyLink.objects.all()] == [consulting]
    policy.external_invite(
        proposal=consulting, by=chair, name="Better buses campaign", email="hi@bb.example"
    )
    policy.external_invite(
        proposal=consulting, by=chair, name="Someone Else", email="else@bb.example"
    )
    assert PolicyLink.objects.filter(organisation=ally, invitation__isnull=False).count() == 1
    assert consulting.invitations.filter(name="Someone Else").exists()
    # York's consultation names "York Bus Users": once recorded, it is linked too.
    york_users = services.organisation_create(
        actor=people.national_officer,
        unit=org.nation,
        name="york bus users",
        kind="campaign",
        country="GB",
    )
    assert PolicyLink.objects.get(organisation=york_users).contribution.circulation == york

    page = selectors.organisation_page(ally, people.member)
    assert [view.relationship.status for view in page["relationships"]] == ["alliance"]
    assert sorted(link["what"] for link in page["policy_links"]) == ["invited", "prompted"]
    html = signed_in(people.member).get(ally.get_absolute_url()).content.decode()
    assert "formal alliance" in html
    assert "Invited to comment on" in html
    assert "Prompted the proposal" in html
    assert consulting.get_absolute_url() in html


def test_the_data_migration_links_existing_mentions_and_keeps_unmatched_text(
    org, people, circulating, contributions, bus_campaign
):
    york = circulating.circulations.get(unit=org.york)
    PolicyLink.objects.all().delete()
    policy.outside_consultation_add(
        circulation=york,
        by=people.york_member,
        who="  LEEDS BUS USERS' CAMPAIGN ",
        on=clock.now().date(),
        text="Night buses.",
    )
    PolicyLink.objects.all().delete()
    made = link_mentions(get_model=apps.get_model, now=clock.now())
    assert made == 1
    link = PolicyLink.objects.get()
    assert link.organisation == bus_campaign
    assert link.contribution.outside_who == "LEEDS BUS USERS' CAMPAIGN"
    assert york.contributions.filter(outside_who="York Bus Users").exists()
    assert link_mentions(get_model=apps.get_model, now=clock.now()) == 0


def test_the_agreement_is_in_the_decision_register_of_the_branch_assembly(
    org, people, bus_campaign, statement_rule
):
    statement_rule(needs_vote=False)
    relationship = bus_campaign.relationships.get()
    statement = services.joint_statement_draft(
        actor=people.leeds_officer, relationship=relationship, texts=TEXTS[:1]
    )
    services.joint_statement_agree(
        actor=people.leeds_officer, statement=statement, body=assembly_of(org.leeds)
    )
    assert Decision.objects.get().body == assembly_of(org.leeds)
    with pytest.raises(NotPermitted):
        services.joint_statement_publish(actor=people.brighton_officer, statement=statement)
