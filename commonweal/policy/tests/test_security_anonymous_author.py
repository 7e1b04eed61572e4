"""While the rulebook hides a proposal's author until launch, nothing names them.

The review found the timeline page and its API giving the actor of the creation step, the
author, while the proposal's page and the board hid them.
"""

import pytest
from django.urls import reverse

from commonweal.policy import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous_proposal(set_rules, propose):
    set_rules(anonymous_until_launch=True, support_threshold_kind="absolute", support_threshold=3)
    return propose()


@pytest.fixture
def reader(client_of, make_member, org):
    return client_of(make_member(unit=org.york))


def test_the_timeline_page_does_not_name_the_hidden_author(anonymous_proposal, author, reader):
    page = reader.get(reverse("policy:timeline", args=[anonymous_proposal.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert author.full_name not in html
    assert "shown once the proposal is launched" in html


def test_the_timeline_and_proposal_api_do_not_give_the_hidden_author(
    anonymous_proposal, author, reader, org
):
    steps = reader.get(f"/api/policy/proposals/{anonymous_proposal.pk}/timeline").json()
    assert [s["actor_id"] for s in steps] == [None]
    proposal = reader.get(f"/api/policy/proposals/{anonymous_proposal.pk}").json()
    assert proposal["author_id"] is None
    assert proposal["unit_id"] is None


def test_filtering_the_board_by_unit_does_not_tell_where_the_hidden_author_is(
    anonymous_proposal, reader, org
):
    listed = reader.get("/api/policy/proposals", {"unit": org.leeds.slug}).json()
    assert anonymous_proposal.pk not in [p["id"] for p in listed["items"]]
    board = reader.get(reverse("policy:board"), {"unit": org.leeds.slug}).content.decode()
    assert anonymous_proposal.title not in board
    assert anonymous_proposal.title in reader.get(reverse("policy:board")).content.decode()


def test_once_launched_the_author_is_named_on_the_timeline(
    anonymous_proposal, author, reader, make_member, org
):
    proposal = anonymous_proposal
    for _ in range(3):
        proposal = services.proposal_support(proposal=proposal, member=make_member(unit=org.york))
    html = reader.get(reverse("policy:timeline", args=[proposal.pk])).content.decode()
    assert author.full_name in html
    steps = reader.get(f"/api/policy/proposals/{proposal.pk}/timeline").json()
    assert steps[0]["actor_id"] == author.pk
