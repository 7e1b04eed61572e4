"""A course's progress page and the overview ask the same number of queries however many
members and learners there are (their time is measured in bench/, not here)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonweal.members.models import Member
from commonweal.training.models import Enrolment

pytestmark = pytest.mark.django_db


def add_learners(t, org, n: int, start: int) -> None:
    """n more members in the North, each enrolled and at some module (bulk, like the demo)."""
    members = Member.objects.bulk_create(
        Member(
            email=f"bulk{start + i}@example.org",
            full_name=f"Bulk {i}",
            unit=org.leeds,
            status=Member.Status.MEMBER,
        )
        for i in range(n)
    )
    Enrolment.objects.bulk_create(
        Enrolment(
            course=t.course,
            version=t.v1,
            member=m,
            enrolled_at=t.v1.published_at,
            modules_done=i % 3,
            status=Enrolment.Status.COMPLETED if i % 5 == 0 else Enrolment.Status.ACTIVE,
        )
        for i, m in enumerate(members)
    )


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["progress", "overview"])
def test_the_same_queries_for_few_and_many_learners(client, training, org, page):
    t = training
    client.force_login(t.author)
    url = (
        reverse("training:progress", args=[t.course.slug])
        if page == "progress"
        else reverse("training:overview")
    )
    add_learners(t, org, 3, 0)
    few = queries(client, url)
    add_learners(t, org, 60, 100)
    many = queries(client, url)
    assert few == many
    response = client.get(url)
    assert "63 enrolled" in response.content.decode()
