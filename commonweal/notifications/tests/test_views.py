"""The notification centre: counts, filters, mark-as-read, the polled badge, choices, alerts."""

import pytest
from django.urls import reverse

from commonweal.members.tests.factories import PASSWORD
from commonweal.notifications.models import Mute, Notification
from commonweal.notifications.selectors import preferences_of
from commonweal.notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(org, make_member, client):
    member = make_member(unit=org.leeds)
    client.login(email=member.email, password=PASSWORD)
    return member


def make_notifications(org, run_worker, n, kind="vote.opened", **extra):
    for i in range(n):
        notify(kind=kind, title=f"{kind} {i}", units=[org.leeds], link="/votes/", **extra)
    run_worker()


def test_the_list_shows_my_notifications_and_unread_count(org, me, client, run_worker):
    make_notifications(org, run_worker, 2)
    notify(kind="vote.opened", title="York only", units=[org.york])
    run_worker()
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    assert b"vote.opened 0" in response.content
    assert b"York only" not in response.content
    assert b"2 unread notifications" in response.content


def test_filter_by_category_and_unread(org, me, client, run_worker):
    make_notifications(org, run_worker, 1, kind="vote.opened")
    make_notifications(org, run_worker, 1, kind="news.published")
    Notification.objects.filter(event__kind="vote.opened").update(read_at="2026-01-01T00:00Z")
    votes = client.get(reverse("notifications:list"), {"category": "votes"}).content
    assert b"vote.opened 0" in votes
    assert b"news.published 0" not in votes
    unread = client.get(reverse("notifications:list"), {"unread": "1"}).content
    assert b"news.published 0" in unread
    assert b"vote.opened 0" not in unread


def test_the_list_runs_a_constant_number_of_queries(
    org, me, client, run_worker, django_assert_max_num_queries
):
    make_notifications(org, run_worker, 3, thread="policy.proposal:1")
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("notifications:list"))
    make_notifications(org, run_worker, 20, thread="policy.proposal:2")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("notifications:list"))


def test_mark_one_read_and_all_read(org, me, client, run_worker):
    make_notifications(org, run_worker, 3)
    first = Notification.objects.filter(recipient=me).first()
    client.post(reverse("notifications:read", args=[first.pk]))
    assert Notification.objects.filter(recipient=me, read_at=None).count() == 2
    client.post(reverse("notifications:read_all"))
    assert Notification.objects.filter(recipient=me, read_at=None).count() == 0


def test_mark_read_with_htmx_returns_the_item(org, me, client, run_worker):
    make_notifications(org, run_worker, 1)
    n = Notification.objects.get(recipient=me)
    response = client.post(reverse("notifications:read", args=[n.pk]), HTTP_HX_REQUEST="true")
    assert f'id="notification-{n.pk}"'.encode() in response.content
    assert b"Mark as read" not in response.content


def test_i_cannot_mark_someone_elses_notification(org, me, client, run_worker, make_member):
    other = make_member(unit=org.leeds)
    make_notifications(org, run_worker, 1)
    theirs = Notification.objects.get(recipient=other)
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_a_notification_marks_it_read_and_follows_its_link(org, me, client, run_worker):
    make_notifications(org, run_worker, 1)
    n = Notification.objects.get(recipient=me)
    response = client.get(reverse("notifications:open", args=[n.pk]))
    assert response.url == "/votes/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_an_outside_link_is_not_followed(org, me, client, run_worker):
    notify(kind="news.x", title="Phish", units=[org.leeds], link="https://evil.example/")
    run_worker()
    n = Notification.objects.get(recipient=me)
    assert client.get(reverse("notifications:open", args=[n.pk])).url == "/notifications/"


def test_the_badge_fragment_polls_and_counts(org, me, client, run_worker):
    make_notifications(org, run_worker, 2)
    page = client.get(reverse("members:home")).content.decode()
    assert 'hx-get="/notifications/badge/"' in page
    assert 'hx-trigger="every 30s"' in page
    badge = client.get(reverse("notifications:badge")).content.decode()
    assert '<span class="badge">2' in badge


def test_the_badge_stops_polling_when_signed_out(client):
    assert client.get(reverse("notifications:badge")).status_code == 286


def test_the_centre_needs_a_login(client):
    assert client.get(reverse("notifications:list")).status_code == 302


def test_preferences_page_saves_choices(me, client):
    response = client.post(
        reverse("notifications:preferences"),
        {
            "alerts": "immediate",
            "votes": "daily",
            "meetings": "immediate",
            "membership": "immediate",
            "decisions": "weekly",
            "policy": "never",
            "discussion": "daily",
            "news": "weekly",
            "other": "daily",
        },
    )
    assert response.status_code == 302
    chosen = {c.key: d for c, d in preferences_of(me)}
    assert chosen["votes"] == "daily"
    assert chosen["policy"] == "never"


def test_urgent_alerts_cannot_be_put_in_a_digest_from_the_page(me, client):
    response = client.post(reverse("notifications:preferences"), {"alerts": "daily"})
    assert response.status_code == 200
    assert {c.key: d for c, d in preferences_of(me)}["alerts"] == "immediate"


def test_mute_and_unmute_from_the_list(org, me, client, run_worker):
    make_notifications(org, run_worker, 1, thread="discussion:9")
    assert b"Mute this thread" in client.get(reverse("notifications:list")).content
    client.post(reverse("notifications:mute"), {"thread": "discussion:9"})
    assert Mute.objects.filter(member=me, thread="discussion:9").exists()
    assert b"Unmute this thread" in client.get(reverse("notifications:list")).content
    client.post(reverse("notifications:unmute"), {"thread": "discussion:9"})
    assert not Mute.objects.exists()


def test_the_alert_page_is_not_found_for_ordinary_members(me, client):
    assert client.get(reverse("notifications:alert")).status_code == 404


def test_an_officer_sends_an_alert_from_the_page(
    org, make_officer, make_member, client, run_worker
):
    officer = make_officer(of=org.north)
    client.login(email=officer.email, password=PASSWORD)
    member = make_member(unit=org.york)
    page = client.get(reverse("notifications:alert")).content.decode()
    assert "Leeds" in page
    assert "Brighton" not in page
    response = client.post(
        reverse("notifications:alert"),
        {"unit": org.north.pk, "title": "Flood", "text": "Stay away from the river."},
    )
    assert response.status_code == 302
    run_worker()
    assert Notification.objects.filter(recipient=member, event__urgent=True).exists()


def test_the_live_list_gets_only_what_is_new_and_nothing_when_nothing_is(
    org, me, client, run_worker
):
    make_notifications(org, run_worker, 1)
    latest = Notification.objects.get(recipient=me).pk
    assert client.get(reverse("notifications:new"), {"after": latest}).status_code == 204
    make_notifications(org, run_worker, 1, kind="news.published")
    make_notifications(org, run_worker, 1, kind="vote.closed")
    response = client.get(reverse("notifications:new"), {"after": latest, "category": "votes"})
    assert b"vote.closed 0" in response.content
    assert b"news.published 0" not in response.content
    assert b"vote.opened 0" not in response.content
    assert b"3 unread notifications" in response.content
    newest = Notification.objects.get(recipient=me, event__kind="vote.closed").pk
    assert f"after={newest}&amp;category=votes".encode() in response.content
