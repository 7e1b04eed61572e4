"""A body puts votes only to members within its own scope, on every way in.

The review found that a branch officer could call and open a vote of the whole organisation
(the form offered every unit, the API took any) and so notify every member.
"""

from datetime import timedelta

import pytest
from django.urls import reverse

from commonweal.core import clock
from commonweal.core.errors import Refused
from commonweal.notifications.models import Event
from commonweal.organisation.selectors import assembly_of
from commonweal.voting import services
from commonweal.voting.models import Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch_officer(client, org, make_officer):
    officer = make_officer(org.leeds)
    client.force_login(officer)
    return officer


def _api_create(client, body, electorate):
    return client.post(
        "/api/votes/",
        {
            "title": "Everyone, come to our jumble sale",
            "body": body.pk,
            "method": "majority",
            "electorate": electorate.pk,
            "closes_at": (clock.now() + timedelta(days=1)).isoformat(),
        },
        content_type="application/json",
    )


@pytest.mark.parametrize("outside", ["nation", "york"])
def test_a_branch_officer_cannot_put_a_vote_to_another_unit_over_the_api(
    client, org, branch_officer, outside
):
    response = _api_create(client, assembly_of(org.leeds), getattr(org, outside))
    assert response.status_code == 400
    assert response.json()["field"] == "electorate"
    assert not Vote.objects.exists()


def test_a_branch_officer_puts_a_vote_to_their_own_branch(client, org, branch_officer):
    response = _api_create(client, assembly_of(org.leeds), org.leeds)
    assert response.status_code == 200
    assert response.json()["electorate"] == org.leeds.pk


def test_the_form_offers_only_units_in_the_bodys_scope_and_refuses_others(
    client, org, branch_officer
):
    page = client.get(reverse("voting:create"))
    offered = set(page.context["form"].fields["electorate"].queryset)
    assert offered == {org.leeds}
    response = client.post(
        reverse("voting:create"),
        {
            "title": "Everyone, come to our jumble sale",
            "body": assembly_of(org.leeds).pk,
            "method": "majority",
            "seats": 1,
            "electorate": org.nation.pk,
            "closes_at": (clock.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 200
    assert "electorate" in response.context["form"].errors
    assert not Vote.objects.exists()


def test_a_regional_body_may_put_its_vote_to_a_branch_below_but_not_above(org):
    north = assembly_of(org.north)
    vote = services.vote_create(
        title="Regional rally",
        body=north,
        method="majority",
        electorate=org.york,
        closes_at=clock.now() + timedelta(days=1),
        created_by=None,
    )
    assert vote.electorate == org.york
    with pytest.raises(Refused) as refused:
        services.vote_create(
            title="Regional rally",
            body=north,
            method="majority",
            electorate=org.nation,
            closes_at=clock.now() + timedelta(days=1),
            created_by=None,
        )
    assert refused.value.field == "electorate"


def test_a_draft_put_to_a_unit_outside_the_scope_is_not_opened_and_nobody_is_told(
    client, org, branch_officer, make_member
):
    make_member(unit=org.brighton)
    vote = services.vote_create(
        title="Jumble sale",
        body=assembly_of(org.leeds),
        method="majority",
        electorate=org.leeds,
        closes_at=clock.now() + timedelta(days=1),
        created_by=branch_officer,
    )
    # A draft stored before scopes were checked.
    Vote.objects.filter(pk=vote.pk).update(electorate=org.nation)
    response = client.post(f"/api/votes/{vote.pk}/open")
    assert response.status_code == 400
    assert Vote.objects.get(pk=vote.pk).state == Vote.State.DRAFT
    assert not Event.objects.filter(kind="vote.opened").exists()
