"""Who answered an action is seen, written to and checked in only by its organisers:
another branch's officer, a suspended member, an external participant and an API token
get a 404 (or the sign-in page) for every organisers' page, and change nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse

from commonweal.mobilisation.models import Signup
from commonweal.mobilisation.services import (
    action_create,
    action_open,
    signup_confirm,
    signup_sign,
    signup_token,
)

from .conftest import NOW


@pytest.fixture
def event(org, make_officer, pinned, started):
    officer = make_officer(of=org.leeds)
    action = action_open(
        actor=officer,
        action=action_create(
            actor=officer,
            unit=org.leeds,
            kind="event",
            title="Public meeting on the night bus",
            place="Leeds Civic Hall",
            starts_at=NOW - timedelta(hours=1),
        ),
    )
    signup_sign(
        action=action,
        name="Ada Walker",
        email="ada@example.org",
        postcode="LS6 3AB",
        ip="203.0.113.5",
        started=started,
        purposes=["campaign"],
    )
    signup_confirm(token=signup_token(Signup.objects.get(action=action)))
    action.signer = Signup.objects.get(action=action)
    return action


def pages(event):
    return [
        ("get", reverse("organising:overview", args=[event.pk]), None),
        ("get", reverse("organising:export", args=[event.pk]), None),
        ("get", reverse("organising:checkin", args=[event.pk]), None),
        ("get", reverse("organising:message", args=[event.pk]), None),
        ("post", reverse("organising:checkin", args=[event.pk]), {"signup": event.signer.pk}),
        (
            "post",
            reverse("organising:message", args=[event.pk]),
            {"to": "campaign", "subject": "Hi", "text": "Hello"},
        ),
    ]


@pytest.mark.parametrize("who", ["other_branch_officer", "suspended", "external"])
def test_outsiders_get_404_and_change_nothing(
    event, org, make_member, make_officer, client, who, mailoutbox
):
    person = {
        "other_branch_officer": lambda: make_officer(of=org.brighton),
        "suspended": lambda: make_member(unit=org.leeds, status="suspended"),
        "external": lambda: make_member(status="external"),
    }[who]()
    client.force_login(person)
    for method, url, data in pages(event):
        assert getattr(client, method)(url, data or {}).status_code == 404, url
    batch = client.post(
        reverse("organising:checkin_batch", args=[event.pk]),
        {"present": [event.signer.pk]},
        content_type="application/json",
    )
    assert batch.status_code == 404
    assert Signup.objects.get(pk=event.signer.pk).attended_at is None
    assert mailoutbox == []


def test_an_api_token_opens_no_organisers_page(event, make_officer, org, client):
    from commonweal.members.services import api_token_create

    token = api_token_create(member=make_officer(of=org.leeds), name="w", scope="write")[1]
    for method, url, data in pages(event):
        response = getattr(client, method)(url, data or {}, HTTP_AUTHORIZATION=f"Token {token}")
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"] or "login" in response["Location"]
    assert Signup.objects.get(pk=event.signer.pk).attended_at is None


def test_the_organisers_batch_is_stored_and_idempotent(event, org, client):
    from commonweal.organisation.models import BodyMembership

    chair = BodyMembership.objects.filter(body__unit=org.leeds).first().member
    client.force_login(chair)
    url = reverse("organising:checkin_batch", args=[event.pk])
    for _ in range(2):
        answer = client.post(url, {"present": [event.signer.pk]}, content_type="application/json")
        assert answer.json()["stored"] == [event.signer.pk]
    assert answer.json()["attended"] == 1
