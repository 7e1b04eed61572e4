"""Receipt codes never travel in a URL, and answers that show a ballot are never cached.

The review found "Find my receipt" was a GET with ``?receipt=``: the code landed in the web
server's and the proxy's access logs, and with the published receipt list whoever reads the
logs learns how that member voted.
"""

import json
import re
import secrets

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from commonweal.core.tests.asgi import asgi_request, in_own_loop
from commonweal.members.services import api_token_create
from commonweal.voting import services

# Capability links that must work from an email or a calendar client, where no request body or
# header can carry the secret; they reveal no ballot (docs/secret-ballots.md, "Receipts"). The
# API takes an outside participant's invitation token in the request body instead.
# Links sent by email that are themselves the key: a calendar feed, unsubscribing, an external
# participant's invitation, a signer confirming or managing their answer to a public action.
CAPABILITY_LINKS = {
    "calendar_ics": "secret",
    "unsubscribe": "token",
    "external": "token",
    "confirm": "token",
    "manage": "token",
}
SECRET_NAME = re.compile(r"receipt|token|secret|password|key|code", re.I)


def no_store(response_or_header) -> bool:
    header = (
        response_or_header
        if isinstance(response_or_header, str)
        else response_or_header.get("Cache-Control", "")
    )
    return "no-store" in header


@pytest.fixture
def closed_secret_vote(make_vote, voters):
    vote = make_vote("approval", secret=True, candidates=["Ann", "Bob", "Cat"])
    receipt = services.ballot_cast(vote=vote, voter=voters["leeds"][0], ranking=["Bob"])
    return services.vote_close(vote=vote), receipt


@pytest.mark.django_db
def test_find_my_receipt_posts_the_code_and_the_answer_is_not_cached(
    client, voters, closed_secret_vote
):
    vote, receipt = closed_secret_vote
    client.force_login(voters["york"][0])
    url = reverse("voting:result", args=[vote.pk])
    page = client.get(url)
    html = page.content.decode()
    form = re.search(r"<form[^>]*>(?:(?!</form>).)*name=\"receipt\"", html, re.S).group(0)
    assert 'method="post"' in form
    assert "csrfmiddlewaretoken" in form

    found = client.post(url, {"receipt": receipt})
    assert found.status_code == 200
    assert "Your ballot is in the count: <strong>Bob</strong>" in found.content.decode()
    assert no_store(found)
    assert receipt not in found.content.decode()


@pytest.mark.django_db
def test_a_receipt_in_the_query_string_is_not_looked_up(client, voters, closed_secret_vote):
    vote, receipt = closed_secret_vote
    client.force_login(voters["york"][0])
    page = client.get(reverse("voting:result", args=[vote.pk]), {"receipt": receipt})
    assert page.status_code == 200
    assert "Your ballot is in the count" not in page.content.decode()


@pytest.mark.django_db
def test_the_cast_answer_and_the_vote_page_are_not_cached(client, make_vote, voters):
    vote = make_vote("majority", secret=True)
    client.force_login(voters["leeds"][0])
    page = client.get(reverse("voting:detail", args=[vote.pk]))
    assert no_store(page)
    cast = client.post(reverse("voting:cast", args=[vote.pk]), {"choice": "no"})
    assert cast.context["receipt"]
    assert no_store(cast)
    api = client.post(
        f"/api/votes/{make_vote('majority', secret=True).pk}/cast",
        {"ranking": ["yes"], "idempotency_key": secrets.token_urlsafe(24)},
        content_type="application/json",
    )
    assert api.status_code == 200
    assert "receipt" in api.json()
    assert no_store(api)


@pytest.mark.django_db(transaction=True)
def test_the_ballot_boxs_receipt_is_not_cached(make_vote, voters, monkeypatch):
    from django.db import connections

    from commonweal.config.asgi import application

    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    vote = make_vote(secret=True)
    token = api_token_create(member=voters["leeds"][0], name="receipt test", scope="write")[1]

    async def run():
        return await asgi_request(
            application,
            "POST",
            f"/api/votes/{vote.pk}/cast",
            body=json.dumps({"ranking": ["yes"], "idempotency_key": "k" * 24}).encode(),
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )

    status, headers, content = in_own_loop(run)
    assert status == 200
    assert "receipt" in json.loads(content)
    assert no_store(headers["cache-control"])


def _url_parameters(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _url_parameters(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            for name in entry.pattern.converters:
                yield entry.name, name, prefix + str(entry.pattern)


def test_no_page_takes_a_receipt_or_another_secret_in_its_path():
    secret_in_path = {
        (view, name)
        for view, name, _route in _url_parameters(get_resolver().url_patterns)
        if SECRET_NAME.search(name)
    }
    assert secret_in_path == set(CAPABILITY_LINKS.items())


def test_no_api_endpoint_takes_a_receipt_or_another_secret_in_its_url():
    from commonweal.config.api import api

    schema = api.get_openapi_schema()
    in_url = [
        (path, parameter["name"])
        for path, operations in schema["paths"].items()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] in ("query", "path") and SECRET_NAME.search(parameter["name"])
    ]
    assert in_url == []
