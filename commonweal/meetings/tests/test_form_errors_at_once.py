"""Scheduling a meeting shows every problem in one round, not one per submission.

Issue 13, defect 4: the form answered only the first problem the service met, so three
mistakes took three submissions.
"""

from datetime import timedelta

import pytest
from django.urls import reverse

from commonweal.core.errors import Refused
from commonweal.meetings import services
from commonweal.meetings.models import Meeting
from commonweal.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _local(when):
    return when.strftime("%Y-%m-%dT%H:%M")


def test_three_mistakes_are_shown_together_beside_their_fields(client, org, chair, now):
    client.force_login(chair)
    response = client.post(
        reverse("meetings:schedule"),
        {
            "body": org.leadership.pk,
            "kind": "online",
            "title": "<b></b>",  # no words once the markup is gone
            "opens_at": _local(now - timedelta(days=2)),
            "closes_at": _local(now - timedelta(days=1)),  # over before it is called
            "video_url": "javascript:alert(1)",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"title", "closes_at", "video_url"}
    page = response.content.decode()
    for message in (
        "Give it a title.",
        "This time has passed: a meeting must close in the future.",
        "The video link must be a web address",
    ):
        assert message in page
    assert not Meeting.objects.exists()
    assert not Notification.objects.exists()


def test_the_service_refuses_with_every_field_it_found_wrong(org, chair, now):
    with pytest.raises(Refused) as refused:
        services.meeting_schedule(
            body=org.leadership,
            kind="econference",
            title="",
            opens_at=now,
            closes_at=now - timedelta(hours=1),
            video_url="ftp://nowhere",
            scheduled_by=chair,
        )
    assert [r.field for r in refused.value.every] == ["kind", "title", "video_url", "closes_at"]
    assert not Meeting.objects.exists()
    assert not Notification.objects.exists()


def test_one_mistake_is_one_message(client, org, chair, now):
    client.force_login(chair)
    response = client.post(
        reverse("meetings:schedule"),
        {
            "body": org.leadership.pk,
            "kind": "online",
            "title": "Online committee",
            "opens_at": _local(now + timedelta(days=1)),
            "closes_at": _local(now + timedelta(days=1, hours=2)),
        },
    )
    assert dict(response.context["form"].errors) == {
        "video_url": ["An online meeting needs a video link."]
    }
    assert not Meeting.objects.exists()
