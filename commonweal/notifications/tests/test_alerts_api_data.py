"""Urgent alerts (who may send, who gets them), the API, and a member's own data."""

import json

import pytest

from commonweal.core.errors import NotPermitted, Refused
from commonweal.members.tests.factories import PASSWORD
from commonweal.notifications.models import EmailDelivery, Event, Mute, Notification, Preference
from commonweal.notifications.selectors import member_export
from commonweal.notifications.services import (
    member_erase,
    notify,
    preferences_set,
    thread_mute,
    urgent_alert_send,
)
from commonweal.record.models import Entry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("officer_of", "target", "allowed"),
    [
        ("north", "north", True),
        ("north", "leeds", True),
        ("nation", "brighton", True),
        ("leeds", "north", False),
        ("north", "south", False),
        ("york", "leeds", False),
        (None, "leeds", False),
    ],
)
def test_only_officers_of_the_unit_or_above_may_alert_it(
    org, make_officer, make_member, officer_of, target, allowed
):
    sender = (
        make_officer(of=getattr(org, officer_of)) if officer_of else make_member(unit=org.leeds)
    )
    unit = getattr(org, target)
    if allowed:
        event = urgent_alert_send(unit=unit, title="Flood", text="Go home.", sent_by=sender)
        assert event.urgent
        assert Entry.objects.filter(kind="alert.sent").exists()
    else:
        with pytest.raises(NotPermitted):
            urgent_alert_send(unit=unit, title="Flood", text="Go home.", sent_by=sender)
        assert not Event.objects.filter(urgent=True).exists()


def test_an_alert_needs_a_title_and_text(org, make_officer):
    officer = make_officer(of=org.north)
    with pytest.raises(Refused):
        urgent_alert_send(unit=org.north, title=" ", text="x", sent_by=officer)
    with pytest.raises(Refused):
        urgent_alert_send(unit=org.north, title="x", text="", sent_by=officer)


def test_an_alert_skips_digests_and_mutes_but_not_unsubscribing(
    org, make_officer, make_member, run_worker, outbox
):
    officer = make_officer(of=org.north)
    digester = make_member(unit=org.leeds)
    preferences_set(member=digester, choices=dict.fromkeys(("votes", "news", "other"), "weekly"))
    unsubscribed = make_member(unit=org.york)
    preferences_set(member=unsubscribed, choices={"alerts": "never"})
    outsider = make_member(unit=org.brighton)
    urgent_alert_send(unit=org.north, title="Flood", text="Stay in.", sent_by=officer)
    run_worker()
    emailed = {m.to[0] for m in outbox}
    assert digester.email in emailed
    assert unsubscribed.email not in emailed
    assert outsider.email not in emailed
    assert outbox[0].subject == "Urgent: Flood"
    assert Notification.objects.filter(recipient=unsubscribed, event__urgent=True).exists()
    assert not Notification.objects.filter(recipient=outsider).exists()


@pytest.fixture
def api(org, make_member, client):
    member = make_member(unit=org.leeds)
    client.login(email=member.email, password=PASSWORD)
    return member, client


def test_api_lists_filters_and_marks_read(org, api, run_worker):
    _member, client = api
    notify(kind="vote.opened", title="V", units=[org.leeds])
    notify(kind="news.published", title="N", units=[org.leeds])
    run_worker()
    body = client.get("/api/notifications/").json()
    assert body["count"] == 2
    votes = client.get("/api/notifications/?category=votes").json()["items"]
    assert [n["title"] for n in votes] == ["V"]
    assert client.get("/api/notifications/unread").json() == {"unread": 2}
    assert client.post(f"/api/notifications/{votes[0]['id']}/read").json() == {"unread": 1}
    client.post("/api/notifications/read-all")
    assert client.get("/api/notifications/?unread=true").json()["count"] == 0


def test_api_refuses_marking_someone_elses(org, api, make_member, run_worker):
    _member, client = api
    other = make_member(unit=org.york)
    notify(kind="vote.opened", title="V", members=[other])
    run_worker()
    theirs = Notification.objects.get(recipient=other)
    assert client.post(f"/api/notifications/{theirs.pk}/read").status_code == 400
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_api_preferences_and_mutes(api):
    _member, client = api
    response = client.put(
        "/api/notifications/preferences",
        data=json.dumps({"votes": "weekly"}),
        content_type="application/json",
    )
    assert {p["category"]: p["delivery"] for p in response.json()}["votes"] == "weekly"
    bad = client.put(
        "/api/notifications/preferences",
        data=json.dumps({"alerts": "weekly"}),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["field"] == "alerts"
    client.post(
        "/api/notifications/mutes",
        data=json.dumps({"thread": "discussion:3"}),
        content_type="application/json",
    )
    assert client.get("/api/notifications/mutes").json() == ["discussion:3"]
    client.post(
        "/api/notifications/mutes/remove",
        data=json.dumps({"thread": "discussion:3"}),
        content_type="application/json",
    )
    assert client.get("/api/notifications/mutes").json() == []


def test_api_alert_refused_for_a_plain_member(org, api):
    _member, client = api
    response = client.post(
        "/api/notifications/alerts",
        data=json.dumps({"unit_id": org.leeds.pk, "title": "x", "text": "y"}),
        content_type="application/json",
    )
    assert response.status_code == 403


def test_api_needs_authentication(client):
    assert client.get("/api/notifications/").status_code == 401


def test_export_and_erase(org, make_member, run_worker):
    member = make_member(unit=org.leeds)
    keeper = make_member(unit=org.leeds)
    preferences_set(member=member, choices={"votes": "daily"})
    thread_mute(member=member, thread="discussion:1")
    notify(kind="vote.opened", title="Exported", units=[org.leeds])
    notify(kind="meeting.called", title="Emailed", units=[org.leeds])
    run_worker()
    data = member_export(member)
    assert data["preferences"]["votes"] == "daily"
    assert data["muted_threads"] == ["discussion:1"]
    assert {n["title"] for n in data["notifications"]} == {"Exported", "Emailed"}
    emailed = {n["title"]: n["emailed"] for n in data["notifications"]}
    assert emailed == {"Exported": "", "Emailed": "sent"}
    member_erase(member)
    assert not Notification.objects.filter(recipient=member).exists()
    assert not EmailDelivery.objects.filter(recipient=member).exists()
    assert not Preference.objects.filter(member=member).exists()
    assert not Mute.objects.filter(member=member).exists()
    assert Notification.objects.filter(recipient=keeper).count() == 2
