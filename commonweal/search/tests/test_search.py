"""Searching from the page and the API: ranked, filtered, paginated, with clear refusals."""

import pytest
from django.urls import reverse

from commonweal.search import selectors
from commonweal.search.models import Entry
from commonweal.search.registry import sources

from .conftest import COMMON

pytestmark = pytest.mark.django_db


def found(user, query, **filters):
    return [(h.kind, h.object_id) for h in selectors.search(user, query=query, **filters).hits]


def test_every_kind_is_found_by_a_member_who_may_open_it(corpus):
    hits = found(corpus.people["member"], COMMON)
    assert sorted(kind for kind, _ in hits) == sorted(sources())
    assert set(hits) == {(kind, item.pk) for kind, item in corpus.items.items()}


def test_a_member_searches_from_the_page_and_opens_the_result(client, corpus):
    client.force_login(corpus.people["member"])
    response = client.get(reverse("search:search"), {"q": "tram FARES"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cheaper <mark>tram</mark> <mark>fares</mark>" in page
    proposal = corpus.items["policy.proposal"]
    assert f'href="{reverse("policy:proposal", args=[proposal.pk])}"' in page
    assert client.get(reverse("policy:proposal", args=[proposal.pk])).status_code == 200


def test_the_title_ranks_above_a_passing_mention(corpus, org):
    from commonweal.policy.services import proposal_create

    member = corpus.people["member"]
    mention = proposal_create(
        author=member,
        section=org.transport,
        title="Night services",
        text="Run more trains at night. Also the viaduct; and, in passing, a word on cycling.",
    )
    headline = proposal_create(
        author=member,
        section=org.transport,
        title="The viaduct cycling route",
        text="A viaduct for cycling: the cycling route across the viaduct.",
    )
    assert found(member, "viaduct cycling")[:2] == [
        ("policy.proposal", headline.pk),
        ("policy.proposal", mention.pk),
    ]


def test_filters_by_kind_and_by_unit_subtree(corpus, org):
    member = corpus.people["member"]
    assert found(member, COMMON, kind="news.newsitem") == [
        ("news.newsitem", corpus.items["news.newsitem"].pk)
    ]
    in_leeds = {kind for kind, _ in found(member, COMMON, unit_id=org.leeds.pk)}
    in_north = {kind for kind, _ in found(member, COMMON, unit_id=org.north.pk)}
    # Leeds's own items are in Leeds and in the North above it; the transport section's
    # proposal (its author's unit is Leeds) too; the national section's policy in neither.
    assert "policy.policy" not in in_north
    assert "policy.policy" in {kind for kind, _ in found(member, COMMON, unit_id=org.nation.pk)}
    assert in_leeds == in_north == set(sources()) - {"policy.policy"}
    assert found(member, COMMON, unit_id=org.brighton.pk) == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "Type a word or two to search for."),
        ({"q": "   "}, "Type a word or two to search for."),
        ({"q": "x" * 1000}, "A search is at most 200 characters"),
        ({"q": "?!*"}, "Search for words: letters or numbers."),
        ({"q": "fares", "kind": "members.member"}, "There is nothing of the kind “members.member”"),
        ({"q": "fares", "unit": "999999"}, "There is no such unit to search in."),
    ],
)
def test_bad_input_gets_a_clear_message_on_the_page(client, corpus, params, message):
    client.force_login(corpus.people["member"])
    response = client.get(reverse("search:search"), params)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("params", "status", "detail"),
    [
        ({"q": ""}, 400, "Type a word or two to search for."),
        ({"q": "x" * 1000}, 400, "A search is at most 200 characters: try its key words."),
        ({"q": "fares", "kind": "nonsense"}, 400, None),
        ({"q": "fares", "unit_id": 999999}, 400, "There is no such unit to search in."),
    ],
)
def test_bad_input_gets_a_clear_message_over_the_api(client, corpus, params, status, detail):
    client.force_login(corpus.people["member"])
    response = client.get("/api/search", params)
    assert response.status_code == status
    body = response.json()
    if detail:
        assert body["detail"] == detail
    else:
        assert "Choose one of: " in body["detail"]
        assert body["field"] == "kind"


def test_the_api_answers_as_the_page_does(client, corpus):
    from commonweal.members.services import api_token_create

    member = corpus.people["member"]
    _token, key = api_token_create(member=member, name="search", scope="read")
    response = client.get("/api/search", {"q": "tram fares"}, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    first = response.json()["results"][0]
    proposal = corpus.items["policy.proposal"]
    assert (first["kind"], first["id"], first["title"]) == (
        "policy.proposal",
        proposal.pk,
        proposal.title,
    )
    assert first["title_html"].startswith("Cheaper <mark>tram</mark>")


def test_pages_follow_one_another(corpus, org, client):
    from commonweal.decisions.services import decision_record
    from commonweal.rulebook.selectors import current

    member = corpus.people["member"]
    made = [
        decision_record(
            kind="motion",
            title=f"Ferry route {n}",
            text="A ferry.",
            body=org.leadership,
            rulebook_version=current().version,
        )
        for n in range(selectors.PAGE_SIZE + 3)
    ]
    first = selectors.search(member, query="ferry")
    second = selectors.search(member, query="ferry", offset=first.next_offset)
    assert len(first.hits) == selectors.PAGE_SIZE
    assert second.next_offset is None
    shown = [h.object_id for h in first.hits + second.hits]
    assert sorted(shown) == sorted(d.pk for d in made)
    client.force_login(member)
    page = client.get(reverse("search:search"), {"q": "ferry"}).content.decode()
    assert f"offset={selectors.PAGE_SIZE}" in page
    assert "More results" in page


def test_snippets_are_escaped_and_marked(corpus, org):
    from commonweal.policy.services import proposal_create

    member = corpus.people["member"]
    proposal_create(
        author=member,
        section=org.transport,
        title="Markup",
        text="Before <script>alert(1)</script> the **tunnel** & after.",
    )
    hit = selectors.search(member, query="tunnel").hits[0]
    assert "<script>" not in hit.snippet
    assert "<mark>tunnel</mark>" in hit.snippet
    assert "&amp; after" in hit.snippet


def test_the_index_holds_the_words_not_the_markup(corpus):
    entry = Entry.objects.get(kind="discussion.debate")
    assert entry.text == "At dawn or at noon?"
