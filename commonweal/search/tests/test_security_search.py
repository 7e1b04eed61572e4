"""The search never shows what the searcher could not open, kind by kind.

Asked as another branch's member and officer, an officer of the region above, a suspended
member, an external participant, an administrator and through API tokens: for every kind,
what the search finds is exactly what the kind's own permission lets the person open.
"""

import pytest
from django.urls import reverse

from commonweal.members.services import api_token_create
from commonweal.search import selectors
from commonweal.search.registry import sources

from .conftest import COMMON

pytestmark = pytest.mark.django_db


def may_open(user, kind, item) -> bool:
    """The owning app's own answer to "may this person open it?"."""
    if kind == "policy.policy":  # published policies are public
        return True
    if kind == "meetings.minutes":  # shown on the meeting's page
        return user.has_perm("meetings.view_meeting", item.meeting)
    perm = {
        "policy.proposal": "policy.view_proposal",
        "decisions.decision": "decisions.view_decision",
        "discussion.debate": "discussion.view_debate",
        "news.newsitem": "news.view_newsitem",
        "library.document": "library.view_document",
        "interventions.lesson": "interventions.view_lesson",
    }[kind]
    return user.has_perm(perm, item)


@pytest.fixture
def more(corpus, org):
    """Brighton's own items, a shared lesson, and public news, beside Leeds's."""
    from commonweal.discussion.services import debate_open
    from commonweal.news.services import news_publish

    brighton = corpus.people["officer_elsewhere"]
    corpus.extra = [
        (
            "discussion.debate",
            debate_open(
                space_unit=org.brighton, question=f"Pier or promenade {COMMON}?", opened_by=brighton
            ),
        ),
        (
            "news.newsitem",
            news_publish(
                author=brighton, title=f"Brighton news {COMMON}", body="Sea.", unit=org.brighton
            ),
        ),
        (
            "news.newsitem",
            news_publish(
                author=brighton,
                title=f"Open day {COMMON}",
                body="All welcome.",
                unit=org.brighton,
                is_public=True,
            ),
        ),
    ]
    return corpus


SEARCHERS = ["member", "chair", "other_branch", "officer_elsewhere", "regional_officer", "admin"]


@pytest.mark.parametrize("who", SEARCHERS)
def test_each_kind_shows_exactly_what_its_permission_opens(more, who):
    user = more.people[who]
    everything = list(more.items.items()) + more.extra
    expected = {(kind, item.pk) for kind, item in everything if may_open(user, kind, item)}
    for kind in sources():
        hits = selectors.search(user, query=COMMON, kind=kind).hits
        assert {(h.kind, h.object_id) for h in hits} == {e for e in expected if e[0] == kind}, kind


def test_another_branch_sees_none_of_leeds_restricted_kinds(more):
    hits = selectors.search(more.people["other_branch"], query=COMMON).hits
    titles = {h.title for h in hits}
    assert f"Should we picket the depot {COMMON}?" not in titles
    assert f"Branch news {COMMON}" not in titles
    assert f"Depot leaflet {COMMON}" not in titles
    assert f"Leaflet before dawn {COMMON}" not in titles
    # What every member may open, they find.
    assert f"Cheaper tram fares {COMMON}" in titles
    assert f"Brighton news {COMMON}" in titles


@pytest.mark.parametrize("who", ["suspended", "external"])
def test_who_is_not_a_member_in_good_standing_cannot_search(client, corpus, who):
    person = corpus.people[who]
    client.force_login(person)
    assert client.get(reverse("search:search"), {"q": COMMON}).status_code == 404
    assert client.get("/api/search", {"q": COMMON}).status_code == 404


@pytest.mark.parametrize("who", ["suspended", "external"])
def test_their_api_tokens_find_nothing_either(client, corpus, who):
    _token, key = api_token_create(member=corpus.people[who], name="t", scope="read")
    response = client.get("/api/search", {"q": COMMON}, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code in (401, 403, 404)
    assert COMMON not in response.content.decode()


def test_a_token_finds_what_its_holder_may_open_and_no_more(client, more):
    holder = more.people["other_branch"]
    _token, key = api_token_create(member=holder, name="t", scope="read")
    response = client.get("/api/search", {"q": COMMON}, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    got = {(r["kind"], r["id"]) for r in response.json()["results"]}
    page = {(h.kind, h.object_id) for h in selectors.search(holder, query=COMMON).hits}
    assert got == page
    assert ("news.newsitem", more.items["news.newsitem"].pk) not in got


def test_a_unit_filter_does_not_widen_what_is_shown(more, org):
    """Naming another branch's unit narrows; it never lets its restricted items through."""
    hits = selectors.search(more.people["other_branch"], query=COMMON, unit_id=org.leeds.pk).hits
    assert {h.kind for h in hits} <= {"policy.proposal", "decisions.decision", "meetings.minutes"}


def test_without_a_session_or_token_the_api_asks_for_one(client, corpus):
    assert client.get("/api/search", {"q": COMMON}).status_code == 401
    response = client.get(reverse("search:search"), {"q": COMMON})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
