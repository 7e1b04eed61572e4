"""A form shows every problem the service finds in one round, not one per submission.

Issue 13, defect 4: calling a vote with four mistakes took four submissions, each
answering only the first problem the service met.
"""

from datetime import timedelta

import pytest
from django.urls import reverse

from commonweal.core import clock
from commonweal.core.errors import Refused
from commonweal.organisation.selectors import assembly_of
from commonweal.voting import services
from commonweal.voting.models import Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def only_yes_no(set_rule):
    set_rule("votes.methods", ["majority"])


def test_four_mistakes_are_shown_together_and_nothing_is_created(
    client, org, make_officer, only_yes_no
):
    client.force_login(make_officer(org.leeds))
    response = client.post(
        reverse("voting:create"),
        {
            "title": "<b></b>",  # no words once the markup is gone
            "body": assembly_of(org.leeds).pk,
            "method": "schulze",  # not allowed by this rulebook
            "candidates": "Ada\nAda",  # twice the same
            "seats": 1,
            "closes_at": (clock.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"title", "method", "candidates", "closes_at"}
    page = response.content.decode()
    for message in (
        "A vote needs a title.",
        "The rulebook does not allow the voting method",
        "A candidate is listed twice.",
        "A vote must close after it opens, in the future.",
    ):
        assert message in page
    assert not Vote.objects.exists()


def test_the_service_refuses_with_every_field_it_found_wrong(org, only_yes_no):
    with pytest.raises(Refused) as refused:
        services.vote_create(
            title="",
            body=assembly_of(org.leeds),
            method="stv",
            candidates=["Ada"],
            closes_at=clock.now() - timedelta(hours=1),
            created_by=None,
        )
    assert [r.field for r in refused.value.every] == ["title", "method", "candidates", "closes_at"]
    assert not Vote.objects.exists()


def test_one_mistake_is_one_message(org):
    with pytest.raises(Refused) as refused:
        services.vote_create(
            title="Fine",
            body=assembly_of(org.leeds),
            method="majority",
            closes_at=clock.now() - timedelta(hours=1),
            created_by=None,
        )
    assert [r.field for r in refused.value.every] == ["closes_at"]
