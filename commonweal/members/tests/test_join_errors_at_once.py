"""Joining shows every problem in one round, not one per submission.

Issue 13, defect 4: the join form answered the form's own checks first and the service's
(a name of markup alone, a common password) only on the next submission.
"""

import pytest
from django.core import mail
from django.urls import reverse

from commonweal.core.errors import Refused
from commonweal.members import services
from commonweal.members.models import Member, MembershipApplication
from commonweal.members.tests.factories import PASSWORD
from commonweal.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_four_mistakes_are_shown_together_beside_their_fields(client, org, run_worker):
    before = Member.objects.count()
    response = client.post(
        reverse("members:join"),
        {
            "full_name": "<b></b>",  # no name once the markup is gone
            "email": "not-an-address",
            "unit": "",
            "password": "12345678",  # too common
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"full_name", "email", "unit", "password"}
    assert errors["full_name"] == ["Tell us your name."]
    page = response.content.decode()
    for message in ("Tell us your name.", "Enter a valid email address.", "too common"):
        assert message in page
    assert Member.objects.count() == before
    assert not MembershipApplication.objects.exists()
    run_worker()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_the_service_refuses_with_every_field_it_found_wrong(org):
    with pytest.raises(Refused) as refused:
        services.member_apply(
            email="nobody", full_name="<i></i>", unit=org.north, password="password"
        )
    assert [r.field for r in refused.value.every] == ["email", "full_name", "unit", "password"]
    assert not MembershipApplication.objects.exists()


def test_one_mistake_is_one_message(client, org):
    response = client.post(
        reverse("members:join"),
        {"full_name": "Ada Lovelace", "email": "ada@example.org", "unit": org.leeds.pk},
    )
    assert set(response.context["form"].errors) == {"password"}
    response = client.post(
        reverse("members:join"),
        {
            "full_name": "<b></b>",
            "email": "ada@example.org",
            "unit": org.leeds.pk,
            "password": PASSWORD,
        },
    )
    assert dict(response.context["form"].errors) == {"full_name": ["Tell us your name."]}
    assert not MembershipApplication.objects.exists()
