"""The pages members use, and that list pages stay at a constant number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse

from commonweal.core import clock
from commonweal.members.tests.factories import PASSWORD
from commonweal.policy import services
from commonweal.policy.models import Proposal, Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, no_two_factor):
    def sign_in(member):
        client.force_login(member)
        return client

    return sign_in


def test_board_needs_a_login(client):
    response = client.get(reverse("policy:board"))
    assert response.status_code == 302


def _many(org, author, n):
    now = clock.now()
    Proposal.objects.bulk_create(
        [
            Proposal(
                title=f"Proposal {i}",
                text="text",
                author=author,
                unit=org.leeds,
                section=org.transport,
                stage=Stage.PROPOSED,
                stage_started_at=now,
                stage_deadline=now + timedelta(days=30),
                support_needed=3,
                created_at=now - timedelta(minutes=i),
                rulebook_version=1,
            )
            for i in range(n)
        ]
    )


@pytest.mark.parametrize("n", [3, 60])
def test_board_runs_a_constant_number_of_queries(
    org, author, signed_in, n, django_assert_max_num_queries
):
    _many(org, author, n)
    client = signed_in(author)
    with django_assert_max_num_queries(14):
        response = client.get(
            reverse("policy:board"), {"section": org.transport.pk, "stage": "open", "q": "Pro"}
        )
    assert response.status_code == 200
    assert response.content.count(b"proposal-row") == min(n, 25)


@pytest.mark.parametrize("n", [3, 60])
def test_stalled_list_runs_a_constant_number_of_queries(
    org, author, signed_in, n, django_assert_max_num_queries
):
    _many(org, author, n)
    Proposal.objects.update(stage=Stage.SCOPING, stalled_since=clock.now())
    client = signed_in(author)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("policy:stalled"))
    assert response.content.count(b"status-stalled") == min(n, 25)


def test_board_filters_by_unit_and_searches_text(org, propose, make_member, signed_in):
    propose(title="Buses for Leeds")
    propose(title="Trams for York", author=make_member(unit=org.york))
    client = signed_in(make_member(unit=org.brighton))
    page = client.get(reverse("policy:board"), {"unit": "york"}).content.decode()
    assert "Trams for York" in page
    assert "Buses for Leeds" not in page
    page = client.get(reverse("policy:board"), {"q": "buses"}).content.decode()
    assert "Buses for Leeds" in page
    assert "Trams for York" not in page


def test_proposing_through_the_page_and_refusals_beside_the_field(org, author, signed_in):
    client = signed_in(author)
    response = client.post(
        reverse("policy:propose"),
        {"section": org.leadership.pk, "title": "x", "text": "y"},
    )
    assert response.status_code == 200
    assert not Proposal.objects.exists()
    response = client.post(
        reverse("policy:propose"),
        {"section": org.transport.pk, "title": "Buses", "text": "<script>alert(1)</script>Case"},
    )
    proposal = Proposal.objects.get()
    assert response.url == proposal.get_absolute_url()
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert "Support this proposal" in page


def test_supporting_twice_through_the_page_shows_a_message(
    threshold, propose, org, signed_in, make_member
):
    proposal = propose()
    client = signed_in(make_member(unit=org.york))
    client.post(reverse("policy:support", args=[proposal.pk]))
    response = client.post(reverse("policy:support", args=[proposal.pk]), follow=True)
    assert "Withdraw my support" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.support_count == 1


def test_anonymous_proposals_hide_the_author_on_the_board_and_page(
    set_rules, propose, author, org, make_member, signed_in
):
    set_rules(anonymous_until_launch=True)
    proposal = propose()
    client = signed_in(make_member(unit=org.york))
    for url in [reverse("policy:board"), proposal.get_absolute_url()]:
        assert author.full_name not in client.get(url).content.decode()


def test_every_step_page_renders_for_a_circulating_proposal(circulating, org, chair, signed_in):
    client = signed_in(chair)
    leeds = circulating.circulations.get(unit=org.leeds)
    for url in [
        circulating.get_absolute_url(),
        reverse("policy:timeline", args=[circulating.pk]),
        reverse("policy:circulation_list", args=[circulating.pk]),
        reverse("policy:circulation", args=[leeds.pk]),
        reverse("policy:draft_edit", args=[circulating.pk]),
        reverse("policy:section", args=[org.transport.slug]),
        reverse("policy:stalled"),
    ]:
        assert client.get(url).status_code == 200, url


def test_the_timeline_shows_each_step_with_its_rulebook_version(circulating, signed_in, chair):
    response = signed_in(chair).get(reverse("policy:timeline", args=[circulating.pk]))
    assert response.status_code == 200, response
    page = response.content.decode()
    for label in ["Gathering support", "Scoping", "Circulation"]:
        assert label in page
    assert "rulebook v" in page


def test_the_sweep_command_expires_what_is_due(propose, capsys):
    from django.core.management import call_command

    proposal = propose()
    with clock.frozen(proposal.stage_deadline + timedelta(hours=1)):
        call_command("policy_sweep")
    proposal.refresh_from_db()
    assert proposal.stage == Stage.EXPIRED
    assert "expired 1" in capsys.readouterr().out


def test_a_passwordless_visitor_cannot_see_a_proposal(propose, client):
    proposal = propose()
    assert client.get(proposal.get_absolute_url()).status_code == 302
    assert PASSWORD
    assert services
