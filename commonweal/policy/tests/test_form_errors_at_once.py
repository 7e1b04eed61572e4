"""Proposing a policy shows every problem in one round, not one per submission.

Issue 13, defect 4: the proposal form answered only the first problem it met, so a
member with four mistakes needed four submissions.
"""

import pytest
from django.urls import reverse

from commonweal.core.errors import Refused
from commonweal.notifications.models import Notification
from commonweal.policy import services
from commonweal.policy.models import PROMPTED_BY_MAX, TEXT_MAX, Proposal

pytestmark = pytest.mark.django_db


def test_four_mistakes_are_shown_together_beside_their_fields(org, author, client_of):
    response = client_of(author).post(
        reverse("policy:propose"),
        {
            "section": "",  # none chosen
            "title": "<b></b>",  # no words once the markup is gone
            "text": "   ",
            "prompted_by": "x" * (PROMPTED_BY_MAX + 1),
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"section", "title", "text", "prompted_by"}
    assert errors["title"] == ["The title cannot be empty."]
    page = response.content.decode()
    assert "The title cannot be empty." in page
    assert "characters" in page  # the outside group's name is too long
    assert not Proposal.objects.exists()
    assert not Notification.objects.exists()


def test_the_service_refuses_with_every_field_it_found_wrong(org, author):
    with pytest.raises(Refused) as refused:
        services.proposal_create(
            author=author,
            section=org.transport,
            title="<i></i>",
            text="x" * (TEXT_MAX + 1),
            prompted_by="y" * (PROMPTED_BY_MAX + 1),
        )
    assert [r.field for r in refused.value.every] == ["title", "text", "prompted_by"]
    assert not Proposal.objects.exists()
    assert not Notification.objects.exists()


def test_one_mistake_is_one_message(org, author, client_of):
    response = client_of(author).post(
        reverse("policy:propose"),
        {"section": org.transport.pk, "title": "<b></b>", "text": "Buses for all."},
    )
    assert dict(response.context["form"].errors) == {"title": ["The title cannot be empty."]}
    with pytest.raises(Refused) as refused:
        services.proposal_create(author=author, section=org.transport, title="Buses", text=" ")
    assert [r.field for r in refused.value.every] == ["text"]
    assert not Proposal.objects.exists()
