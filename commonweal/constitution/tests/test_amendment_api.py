"""The constitution's two steps over the API: drafting and submitting to the vote, with the
same permission and refusals as the pages."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from commonweal.core import clock
from commonweal.members import services as members
from commonweal.members.models import Member
from commonweal.rulebook.models import RulebookVersion
from commonweal.voting.models import Vote

pytestmark = pytest.mark.django_db

T0 = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)


def api(member, scope="write") -> Client:
    key = members.api_token_create(member=member, name="test", scope=scope)[1]
    return Client(headers={"Authorization": f"Token {key}"}, REMOTE_ADDR="192.0.2.1")


def post(client, url, body):
    return client.post(f"/api/constitution{url}", body, content_type="application/json")


def test_a_delegate_drafts_sees_the_changes_and_puts_it_to_the_vote(conference, amended_rules):
    with clock.frozen(T0):
        client = api(conference.delegates[0])
        drafted = post(client, "/amendments", {"rules": amended_rules(), "note": "Quorum."})
        assert drafted.status_code == 201
        number = drafted.json()["number"]
        assert [(c["label"], c["before"], c["after"]) for c in drafted.json()["changes"]] == [
            ("Quorum", "10%", "20%"),
            ("Term of office", "24 months", "36 months"),
        ]
        early = post(
            client,
            f"/amendments/{number}/submit",
            {
                "closes_at": (T0 + timedelta(days=1)).isoformat(),
                "comes_into_force_at": (T0 + timedelta(days=30)).isoformat(),
            },
        )
        assert early.status_code == 400
        assert early.json()["field"] == "closes_at"
        submitted = post(
            client,
            f"/amendments/{number}/submit",
            {
                "closes_at": (T0 + timedelta(days=15)).isoformat(),
                "comes_into_force_at": (T0 + timedelta(days=30)).isoformat(),
            },
        )
    assert submitted.status_code == 200
    vote = Vote.objects.get(pk=submitted.json()["vote_id"])
    assert vote.body == conference
    assert vote.state == Vote.State.OPEN


def test_an_invalid_rulebook_is_refused_with_each_rule_named(conference, amended_rules):
    answer = post(
        api(conference.delegates[0]),
        "/amendments",
        {"rules": amended_rules(meetings__quorum=1.5), "note": ""},
    )
    assert answer.status_code == 400
    assert answer.json()["field"] == "meetings.quorum"
    garbage = post(api(conference.delegates[0]), "/amendments", {"rules": {"x": [1]}})
    assert garbage.status_code == 400
    assert RulebookVersion.objects.count() == 1


def test_only_the_competent_bodys_members_in_good_standing_may_draft(
    org, conference, amended_rules, make_member
):
    outsider = make_member(unit=org.leeds)
    assert post(api(outsider), "/amendments", {"rules": amended_rules()}).status_code == 404
    delegate = conference.delegates[1]
    client = api(delegate)
    read_only = post(api(delegate, scope="read"), "/amendments", {"rules": amended_rules()})
    assert read_only.status_code == 403
    Member.objects.filter(pk=delegate.pk).update(status=Member.Status.SUSPENDED)
    session = Client()
    session.force_login(Member.objects.get(pk=delegate.pk))
    assert post(session, "/amendments", {"rules": amended_rules()}).status_code == 404
    assert post(client, "/amendments", {"rules": amended_rules()}).status_code == 401
    assert RulebookVersion.objects.count() == 1
