"""One-click unsubscribe: works without login from the email's header, refuses altered links."""

import re

import pytest
from django.test import Client

from commonweal.notifications.models import Preference
from commonweal.notifications.selectors import preferences_of
from commonweal.notifications.services import notify, unsubscribe_token

pytestmark = pytest.mark.django_db


def header_url(message) -> str:
    return re.fullmatch(
        r"<http://127\.0\.0\.1:8000(.+)>", message.extra_headers["List-Unsubscribe"]
    )[1]


def choice(member, key):
    return {c.key: d for c, d in preferences_of(member)}[key]


def test_the_one_click_post_from_the_email_header_unsubscribes_without_login(
    org, make_member, run_worker, outbox
):
    member = make_member(unit=org.leeds)
    notify(kind="vote.opened", title="Vote", units=[org.leeds])
    run_worker()
    url = header_url(outbox[0])
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert choice(member, "votes") == "never"
    assert choice(member, "meetings") == "immediate"
    outbox.clear()
    notify(kind="vote.closed", title="Result", units=[org.leeds])
    run_worker()
    assert outbox == []


def test_get_only_asks_for_confirmation(org, make_member, client):
    member = make_member(unit=org.leeds)
    token = unsubscribe_token(member_id=member.pk, categories=["votes"])
    url = f"/notifications/unsubscribe/{token}/"
    response = client.get(url)
    assert response.status_code == 200
    assert b"Votes and elections" in response.content
    assert not Preference.objects.exists()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: t.replace(t.split(":")[0], t.split(":")[0][::-1]),
        lambda t: "not-a-token",
    ],
)
def test_an_altered_link_is_refused_and_changes_nothing(org, make_member, client, tamper):
    member = make_member(unit=org.leeds)
    token = tamper(unsubscribe_token(member_id=member.pk, categories=["votes"]))
    response = client.post(f"/notifications/unsubscribe/{token}/")
    assert response.status_code == 400
    assert b"not valid" in response.content
    assert not Preference.objects.exists()


def test_a_link_for_another_member_cannot_be_forged_from_mine(org, make_member, client):
    me = make_member(unit=org.leeds)
    victim = make_member(unit=org.leeds)
    mine = unsubscribe_token(member_id=me.pk, categories=["votes"])
    forged = unsubscribe_token(member_id=victim.pk, categories=["votes"]).split(":")[0]
    forged += ":" + mine.split(":", 1)[1]
    assert client.post(f"/notifications/unsubscribe/{forged}/").status_code == 400
    assert not Preference.objects.filter(member=victim).exists()


def test_the_digest_link_unsubscribes_the_categories_it_covered(org, make_member, client):
    member = make_member(unit=org.leeds)
    token = unsubscribe_token(member_id=member.pk, categories=["decisions", "policy"])
    client.post(f"/notifications/unsubscribe/{token}/")
    assert choice(member, "decisions") == "never"
    assert choice(member, "policy") == "never"
    assert choice(member, "news") == "weekly"
